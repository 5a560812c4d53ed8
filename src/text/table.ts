/**
 * Plain-text columns measured in terminal cells (string-width), so Japanese double-width
 * characters keep a table aligned. Commands import this module when they print a table.
 */
import stringWidth from 'string-width';
import { escapeControl } from './control.js';

/** `text` padded with spaces to `width` cells (never cut). */
export function padCells(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - stringWidth(text)));
}

/** The widest of `texts`, in cells, and at least `min`. */
export function maxCells(texts: readonly string[], min = 0): number {
  return Math.max(min, ...texts.map((t) => stringWidth(t)));
}

/** Rows under a header, columns two spaces apart; control characters shown as escapes. */
export function formatTable(header: string[], rows: string[][]): string {
  const cells = [header, ...rows].map((r) => r.map((c) => escapeControl(c)));
  const widths = header.map((_, i) => maxCells(cells.map((r) => r[i] ?? '')));
  return cells
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : padCells(cell, widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
