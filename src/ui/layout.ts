/**
 * Where each panel of the failover screen goes for a terminal size. Pure arithmetic, so the
 * components only ever get a width and a number of lines and never overflow them.
 */
export interface FailoverLayout {
  wide: boolean;
  width: number;
  /** Lines used by the whole frame: one less than the terminal, so Ink never clears the screen. */
  height: number;
  board: { width: number; lines: number };
  steps: { width: number; lines: number };
  vms: { width: number; lines: number };
  log: { width: number; lines: number };
  /** Lines between the header and the status line (dialogs, help and details use them). */
  middle: number;
  /** Width of the left column when wide (board + steps). */
  left: number;
}

export function failoverLayout(columns: number, rows: number, stepCount: number): FailoverLayout {
  const width = Math.max(40, columns);
  const height = Math.max(12, rows - 1);
  const wide = width >= 120 && height >= 34;
  // header 1 + status 1 + keys 1
  const middle = height - 3;
  if (wide) {
    const logLines = Math.min(10, Math.max(4, Math.floor(height / 6)));
    const top = middle - (logLines + 1); // log title + lines
    const left = Math.min(72, Math.floor(width * 0.42));
    const boardLines = Math.min(12, Math.floor(top / 3));
    const stepLines = Math.max(3, top - boardLines - 2); // titles of board and steps
    return {
      wide,
      width,
      height,
      left,
      middle,
      board: { width: left, lines: boardLines },
      steps: { width: left, lines: Math.min(stepLines, Math.max(stepCount, 3)) },
      vms: { width: width - left - 1, lines: top },
      log: { width, lines: logLines },
    };
  }
  const boardLines = middle >= 18 ? 4 : 3;
  const logLines = middle >= 18 ? 2 : 1;
  const stepLines = Math.min(middle >= 18 ? 4 : 3, Math.max(stepCount, 1));
  // vm title line + column header + rows; log title line + lines
  const vmLines = Math.max(3, middle - boardLines - stepLines - (logLines + 1));
  return {
    wide,
    width,
    height,
    left: width,
    middle,
    board: { width, lines: boardLines },
    steps: { width, lines: stepLines },
    vms: { width, lines: vmLines },
    log: { width, lines: logLines },
  };
}
