/**
 * Control characters from devices and names, made harmless in one place. Each function says what
 * it does with them: a device's text must not drive the operator's terminal, and a name with a
 * newline must not break a line, a table row or a printed cell.
 */

/* eslint-disable no-control-regex -- matching control characters is this module's purpose */

/** C0 controls and DEL: what breaks a line or a table row. */
const C0_DEL = /[\u0000-\u001f\u007f]/;
/** C0 controls but tab and newline, DEL and C1: what would drive a terminal. */
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** The same, and C0 tab and newline too. */
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** ANSI escape sequences (CSI and two-character escapes), then any control character left. */
const ANSI_AND_CONTROL = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-_]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/* eslint-enable no-control-regex */

/** Whether `s` holds a C0 control character or DEL. */
export function hasControl(s: string): boolean {
  return C0_DEL.test(s);
}

/**
 * Each C0 control character and DEL shown as an escape (`\n`, `\r`, `\t`, `\x07`), so it can be
 * seen and cannot break a line; the characters in `keep` (say `'\n\t'`) stay as they are.
 */
export function escapeControl(s: string, keep = ''): string {
  return s.replace(new RegExp(C0_DEL.source, 'g'), (c) =>
    keep.includes(c)
      ? c
      : c === '\n'
        ? '\\n'
        : c === '\r'
          ? '\\r'
          : c === '\t'
            ? '\\t'
            : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}

/**
 * Each control character (C0, DEL, C1) replaced by `?`: `layout` keeps tabs and newlines (text
 * of several lines), `oneLine` replaces them too (text that must stay on its line).
 */
export function maskControl(s: string, keep: 'layout' | 'oneLine' = 'layout'): string {
  return s.replace(keep === 'layout' ? TERMINAL_CONTROL : ANY_CONTROL, '?');
}

/** ANSI escape sequences and control characters (but tab and newline) removed. */
export function stripTerminalControl(s: string): string {
  return s.replace(ANSI_AND_CONTROL, '');
}
