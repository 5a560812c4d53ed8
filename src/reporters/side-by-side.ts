/**
 * Several renderings of one report (Markdown, JSON, HTML) from a single pass over its commands: a
 * 2,000-VM failover has ~70,000, read from the journal and paired with their answers, and a pass
 * for each format read and paired them three times over. Each rendering gets its own copy of the
 * commands; the rendering that has taken the fewest is always the one advanced, so a command is
 * held only until every rendering has taken it (a few at a time, never the run).
 */
import type { RenderableReport, ReportCommand } from './report.js';

/** A rendering of a report, in pieces; it may iterate the report's commands once. */
export type Render = (report: RenderableReport) => Iterable<string>;

/** The pieces of every rendering, each tagged with the index of its render, in the order produced. */
export function* renderSideBySide(report: RenderableReport, renders: readonly Render[]): Generator<readonly [number, string]> {
  const source = report.commands[Symbol.iterator]();
  const held: ReportCommand[] = [];
  let firstHeld = 0; // the position in the stream of held[0]
  let ended = false;
  // How many commands each rendering has taken; Infinity once it needs no more.
  const taken = renders.map(() => 0);
  const release = (): void => {
    const lowest = Math.min(...taken);
    while (held.length > 0 && firstHeld < lowest) {
      held.shift();
      firstHeld++;
    }
  };
  const copyFor = (i: number): Iterable<ReportCommand> => ({
    *[Symbol.iterator]() {
      try {
        for (;;) {
          const at = taken[i]!;
          if (at - firstHeld >= held.length) {
            if (ended) return;
            const next = source.next();
            if (next.done) {
              ended = true;
              return;
            }
            held.push(next.value);
          }
          taken[i] = at + 1;
          const command = held[at - firstHeld]!;
          release();
          yield command;
        }
      } finally {
        taken[i] = Infinity;
        release();
      }
    },
  });
  const pieces = renders.map((render, i) => render({ ...report, commands: copyFor(i) })[Symbol.iterator]());
  const live = new Set(pieces.keys());
  try {
    while (live.size > 0) {
      let next = -1;
      for (const i of live) if (next < 0 || taken[i]! < taken[next]!) next = i;
      const piece = pieces[next]!.next();
      if (piece.done) {
        live.delete(next);
        taken[next] = Infinity;
        release();
      } else yield [next, piece.value];
    }
  } finally {
    for (const i of live) pieces[i]!.return?.();
    source.return?.();
  }
}
