import { describe, expect, it } from 'vitest';
import { ParseError } from '../../../src/errors.js';
import { esxiCommands } from '../../../src/adapters/esxi/commands.js';
import { isRevertTask, parseTaskInfo, parseTaskList } from '../../../src/adapters/esxi/tasks.js';
import { parseVimFault } from '../../../src/adapters/esxi/parsers.js';
import { formatTaskInfo, formatTaskList } from '../../../src/lab/esxi-format.js';
import { fixture } from './fixtures.js';

describe('vim-cmd vmsvc/get.tasklist', () => {
  it('reads the real lists: keys in order, both indents, with and without commas, and the empty one', () => {
    expect(parseTaskList(fixture('esxi-get-tasklist-1.txt'))).toEqual([
      'haTask-512-vim.VirtualMachine.powerOn-2826',
      'haTask-512-vim.VirtualMachine.powerOn-2843',
      'haTask-512-vim.VirtualMachine.powerOn-2856',
    ]);
    expect(parseTaskList(fixture('esxi-get-tasklist-2.txt'))).toEqual(['haTask-112-vim.VirtualMachine.createSnapshot-3887']);
    expect(parseTaskList(fixture('esxi-get-tasklist-empty-1.txt'))).toEqual([]);
  });

  it('refuses what is not a task list, an unclosed list and a reference that is not a task', () => {
    expect(() => parseTaskList('')).toThrow(ParseError);
    expect(() => parseTaskList('Unknown command\n')).toThrow(/not a task list/);
    expect(() => parseTaskList("(ManagedObjectReference) [\n   'vim.Task:haTask-1-x-2'\n")).toThrow(/not closed/);
    expect(() => parseTaskList("(ManagedObjectReference) [\n   'vim.VirtualMachine:12'\n]\n")).toThrow(/not a task reference/);
    expect(() => parseTaskList("(ManagedObjectReference) [\n   'vim.Task:a b'\n]\n")).toThrow(ParseError);
  });

  it('reads what the lab prints', () => {
    expect(parseTaskList(formatTaskList(['haTask-3-vim.vm.Snapshot.revert-1001', 'haTask-3-vim.vm.Snapshot.revert-1002']))).toEqual([
      'haTask-3-vim.vm.Snapshot.revert-1001',
      'haTask-3-vim.vm.Snapshot.revert-1002',
    ]);
    expect(parseTaskList(formatTaskList([]))).toEqual([]);
  });
});

describe('vim-cmd vimsvc/task_info', () => {
  it('reads the real failed task: state, the fault message, host times', () => {
    const t = parseTaskInfo(fixture('esxi-task-info-error-1.txt'));
    expect(t).toEqual({
      key: 'haTask-496-vim.VirtualMachine.powerOn-3072',
      name: 'vim.VirtualMachine.powerOn',
      descriptionId: 'VirtualMachine.powerOn',
      state: 'error',
      error: 'The task was canceled by a user.',
      queueTime: Date.parse('2010-06-30T08:48:44.187Z'),
      startTime: Date.parse('2010-06-30T08:48:44.187Z'),
      completeTime: Date.parse('2010-06-30T08:49:26.381Z'),
    });
    expect(isRevertTask(t)).toBe(false);
  });

  it('an unknown key is a ManagedObjectNotFound fault, not a task (real samples)', () => {
    for (const f of ['esxi-task-info-notfound-1.txt', 'esxi-task-info-notfound-2.txt']) {
      expect(parseVimFault(fixture(f))?.fault, f).toBe('vmodl.fault.ManagedObjectNotFound');
      expect(() => parseTaskInfo(fixture(f)), f).toThrow(/not a task/);
    }
  });

  it("reads the lab's running and finished revert tasks, and knows them for reverts", () => {
    const base = { key: 'haTask-7-vim.vm.Snapshot.revert-1004', name: 'vim.vm.Snapshot.revert', descriptionId: 'vm.Snapshot.revert' };
    const running = parseTaskInfo(
      formatTaskInfo({ ...base, state: 'running', error: null, queueTime: 1000, startTime: 1000, completeTime: null }, 'web 01'),
    );
    expect(running).toMatchObject({ ...base, state: 'running', error: null, queueTime: 1000, completeTime: null });
    expect(isRevertTask(running)).toBe(true);
    const failed = parseTaskInfo(
      formatTaskInfo(
        { ...base, state: 'error', error: 'Unable to access file', queueTime: 1000, startTime: 1000, completeTime: 2500 },
        'x',
      ),
    );
    expect(failed).toMatchObject({ state: 'error', error: 'Unable to access file', completeTime: 2500 });
  });

  it('refuses an unknown state, a missing key, text around the block', () => {
    const good = fixture('esxi-task-info-error-1.txt');
    expect(() => parseTaskInfo(good.replace('state = "error"', 'state = "paused"'))).toThrow(/unknown task state/);
    expect(() => parseTaskInfo(good.replace(/ {2}key = .*\n/, ''))).toThrow(/no key/);
    expect(() => parseTaskInfo(`Task info:\n${good}`)).toThrow(/text around/);
    expect(() => parseTaskInfo(good.replace('"2010-06-30T08:49:26.381383Z"', '"yesterday"'))).toThrow(/not a time/);
  });

  it('the command takes a whole task key as one word and refuses anything else', () => {
    expect(esxiCommands.taskInfo('haTask-512-vim.VirtualMachine.powerOn-2826')).toBe(
      'vim-cmd vimsvc/task_info haTask-512-vim.VirtualMachine.powerOn-2826',
    );
    expect(esxiCommands.taskList(512)).toBe('vim-cmd vmsvc/get.tasklist 512');
    expect(() => esxiCommands.taskInfo('x; reboot')).toThrow(TypeError);
    expect(() => esxiCommands.taskInfo('')).toThrow(TypeError);
  });
});
