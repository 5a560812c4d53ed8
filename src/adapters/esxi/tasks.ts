/**
 * A VM's recent tasks as hostd keeps them: `vim-cmd vmsvc/get.tasklist VMID` lists their keys,
 * `vim-cmd vimsvc/task_info KEY` dumps one `(vim.TaskInfo) { … }`. Samples in
 * test/fixtures/devices (esxi-get-tasklist-*, esxi-task-info-*). A task outlives the vim-cmd that
 * started it, so a resume can read what became of a command it never heard back from.
 */
import { ParseError } from '../../errors.js';
import { isBlank, preview, toLines } from './text.js';
import { parseVimObject, type VimValue } from './vim-dump.js';

const LIST_KIND = 'esxi-tasklist';
const INFO_KIND = 'esxi-task-info';

/** A task key as hostd prints it (`haTask-512-vim.VirtualMachine.powerOn-2826`): safe as one argv word. */
const TASK_KEY = /^[A-Za-z0-9][\w.:-]*$/;

export function isTaskKey(s: string): boolean {
  return TASK_KEY.test(s);
}

/**
 * `(ManagedObjectReference) [ 'vim.Task:KEY', … ]` or `(ManagedObjectReference) []` → the keys,
 * oldest first as printed. The quotes and the trailing comma are optional (tolerant of both dump
 * formats); anything else is a ParseError.
 */
export function parseTaskList(text: string): string[] {
  const lines = toLines(text).filter((l) => !isBlank(l.text));
  const first = lines[0];
  if (!first) throw new ParseError(LIST_KIND, null, 'empty output');
  if (/^[ \t]*\(ManagedObjectReference\) \[\][ \t]*$/.test(first.text)) {
    if (lines.length > 1) throw new ParseError(LIST_KIND, lines[1]!.no, `text after the empty list: ${preview(lines[1]!.text)}`);
    return [];
  }
  if (!/^[ \t]*\(ManagedObjectReference\) \[[ \t]*$/.test(first.text))
    throw new ParseError(LIST_KIND, first.no, `not a task list: ${preview(first.text)}`);
  const keys: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^[ \t]*\][ \t]*$/.test(l.text)) {
      if (i !== lines.length - 1) throw new ParseError(LIST_KIND, lines[i + 1]!.no, `text after the list: ${preview(lines[i + 1]!.text)}`);
      return keys;
    }
    const m = /^[ \t]*'?vim\.Task:([^',\s]+)'?,?[ \t]*$/.exec(l.text);
    if (!m || !isTaskKey(m[1]!)) throw new ParseError(LIST_KIND, l.no, `not a task reference: ${preview(l.text)}`);
    keys.push(m[1]!);
  }
  throw new ParseError(LIST_KIND, lines[lines.length - 1]!.no, 'the list "[" is not closed');
}

export type TaskState = 'queued' | 'running' | 'success' | 'error';

export interface TaskInfo {
  key: string;
  /** The method, e.g. `vim.VirtualMachine.powerOn`, `vim.vm.Snapshot.revert`. */
  name: string;
  /** `VirtualMachine.powerOn`; '' when unset. */
  descriptionId: string;
  state: TaskState;
  /** The fault's `msg` (or its type) when the task failed. */
  error: string | null;
  /** Host clock, epoch ms; null when unset. */
  queueTime: number | null;
  startTime: number | null;
  completeTime: number | null;
}

/** Strings are printed `"x"` by vim-cmd and `'x'` by pyVmomi; unquoted in some fields. */
function scalar(v: VimValue | undefined): string | null {
  if (typeof v !== 'string') return null;
  const m = /^'(.*)'$/s.exec(v);
  return m ? m[1]! : v;
}

function time(v: VimValue | undefined, at: number): number | null {
  const s = scalar(v);
  if (s === null) return null;
  const ms = Date.parse(s);
  if (Number.isNaN(ms)) throw new ParseError(INFO_KIND, at, `not a time: ${preview(s)}`);
  return ms;
}

/** `vim-cmd vimsvc/task_info KEY` → the fields a resume decides on. */
export function parseTaskInfo(text: string): TaskInfo {
  const parsed = parseVimObject(text, INFO_KIND);
  if (!parsed) throw new ParseError(INFO_KIND, null, 'no "(vim.TaskInfo) {" block in the output');
  const { object, startLine, endIndex, lines } = parsed;
  for (const l of lines.slice(0, startLine - 1).concat(lines.slice(endIndex)))
    if (!isBlank(l.text)) throw new ParseError(INFO_KIND, l.no, `text around the task block: ${preview(l.text)}`);
  if (object.type !== 'vim.TaskInfo') throw new ParseError(INFO_KIND, startLine, `not a task: (${object.type})`);
  const f = object.fields;
  const key = scalar(f.key);
  if (!key) throw new ParseError(INFO_KIND, startLine, 'the task has no key');
  const state = scalar(f.state);
  if (state !== 'queued' && state !== 'running' && state !== 'success' && state !== 'error')
    throw new ParseError(INFO_KIND, startLine, `unknown task state ${preview(String(state))}`);
  const err = f.error;
  const error = err && typeof err === 'object' && !Array.isArray(err) ? (scalar(err.fields.msg) ?? err.type) : (scalar(err) ?? null);
  return {
    key,
    name: scalar(f.name) ?? '',
    descriptionId: scalar(f.descriptionId) ?? '',
    state,
    error: state === 'error' ? (error ?? 'error') : null,
    queueTime: time(f.queueTime, startLine),
    startTime: time(f.startTime, startLine),
    completeTime: time(f.completeTime, startLine),
  };
}

/**
 * A snapshot revert: `vim.vm.Snapshot.revert` (vim-cmd snapshot.revert calls RevertToSnapshot_Task
 * on the snapshot) or `vim.VirtualMachine.revertToCurrentSnapshot`. No real dump of a revert task
 * was found; both names are the vSphere API's method names.
 */
export function isRevertTask(t: TaskInfo): boolean {
  return /(^|\.)Snapshot\.revert$|\.revertToCurrentSnapshot$|\.revertToSnapshot$/i.test(t.name) || /revert/i.test(t.descriptionId);
}
