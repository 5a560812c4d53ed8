import { describe, expect, it } from 'vitest';
import { escapeControl, hasControl, maskControl, stripTerminalControl } from '../../src/text/control.js';
import { escapeHtml } from '../../src/text/html.js';
import { maxCells, padCells } from '../../src/text/table.js';

describe('control characters', () => {
  it('finds C0 and DEL only', () => {
    expect(hasControl('vm\u0007')).toBe(true);
    expect(hasControl('vm\u007f')).toBe(true);
    expect(hasControl('vm\u0085 日本')).toBe(false);
  });

  it('escapes them visibly, keeping what is asked', () => {
    expect(escapeControl('a\r\nb\tc\u001b')).toBe('a\\r\\nb\\tc\\x1b');
    expect(escapeControl('a\nb\tc\u0000', '\n\t')).toBe('a\nb\tc\\x00');
  });

  it('masks C0, DEL and C1, keeping the layout or not', () => {
    expect(maskControl('a\nb\tc\u001b[31m\u009b')).toBe('a\nb\tc?[31m?');
    expect(maskControl('a\nb\tc', 'oneLine')).toBe('a?b?c');
  });

  it('removes terminal escape sequences whole', () => {
    expect(stripTerminalControl('\u001b[1;31mred\u001b[0m\u001bM ok\n\u0007')).toBe('red ok\n');
  });
});

describe('HTML and cells', () => {
  it('escapes the five markup characters, and nothing for no value', () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml(undefined)).toBe('');
    expect(escapeHtml(3)).toBe('3');
  });

  it('pads by display width', () => {
    expect(padCells('日本', 6)).toBe('日本  ');
    expect(padCells('toolong', 3)).toBe('toolong');
    expect(maxCells(['ab', '日本語'], 2)).toBe(6);
    expect(maxCells([], 7)).toBe(7);
  });
});
