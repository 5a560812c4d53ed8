import { describe, expect, it } from 'vitest';
import { findOntapError, parseOntapMessage } from '../../../src/adapters/ontap/parsers.js';
import { fixture } from './fixtures.js';

describe('parseOntapMessage', () => {
  it('empty output is a silent success: ONTAP prints nothing for many successful commands', () => {
    expect(parseOntapMessage('')).toMatchObject({ kind: 'success', text: '' });
    expect(parseOntapMessage('\n\n')).toMatchObject({ kind: 'success', text: '' });
  });

  it('"There are no entries matching your query." is empty', () => {
    expect(parseOntapMessage('There are no entries matching your query.\n')).toMatchObject({
      kind: 'empty',
      text: 'There are no entries matching your query.',
    });
  });

  it('a syntax error without "command failed" is an error', () => {
    expect(parseOntapMessage('\nError: "shw" is not a recognized command\n')).toMatchObject({
      kind: 'error',
      text: 'Error: "shw" is not a recognized command',
    });
  });

  it('a failed job is an error', () => {
    const m = parseOntapMessage('[Job 12] Job failed: Volume vol9 does not exist.\n');
    expect(m).toMatchObject({ kind: 'error', job: { id: 12, state: 'failed' } });
    expect(findOntapError('[Job 12] Job failed: Volume vol9 does not exist.')).toBe('[Job 12] Job failed: Volume vol9 does not exist.');
  });

  it('an error wins over an earlier success line, and a success over the warning that preceded it', () => {
    expect(parseOntapMessage('Operation succeeded: x.\nError: command failed: y\n').kind).toBe('error');
    expect(parseOntapMessage(fixture('ontap-confirm-snapmirror-resync-1.txt')).kind).toBe('success');
  });

  it('a prompt with no echoed answer keeps answer null', () => {
    const m = parseOntapMessage('Warning: x\nDo you want to continue? {y|n}: \n');
    expect(m.prompts).toEqual([{ question: 'Do you want to continue?', answer: null }]);
    expect(m.kind).toBe('warning');
  });

  it('unknown text is other, with its lines', () => {
    expect(parseOntapMessage('something else\n  indented\n')).toMatchObject({ kind: 'other', text: 'something else indented' });
  });
});

describe('findOntapError', () => {
  it('joins the 7-space continuation of Error: command failed', () => {
    expect(findOntapError(fixture('ontap-error-command-failed-1.txt'))).toBe(
      'Error: command failed: Path(s) "dir5, dir6" does not exist in origin volume "vol_origin1_vs1_c1" in Vserver "vs1_c1".',
    );
  });

  it('finds an error after other output, and never in an indented line or a label', () => {
    expect(findOntapError('Warning: a\nDo you want to continue? {y|n}: y\nError: command failed: b\n       c\n')).toBe(
      'Error: command failed: b c',
    );
    expect(findOntapError('   Error: indented\n')).toBeNull();
    expect(findOntapError('Last Transfer Error: -\nTransfer Error: -\n')).toBeNull();
    expect(findOntapError('')).toBeNull();
  });
});
