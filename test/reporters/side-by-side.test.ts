import { describe, expect, it } from 'vitest';
import type { RenderableReport, ReportCommand } from '../../src/reporters/report.js';
import { renderSideBySide, type Render } from '../../src/reporters/side-by-side.js';

const command = (i: number): ReportCommand => ({
  id: `c${i}`,
  host: `esx${i % 3}`,
  command: `vim-cmd vmsvc/power.getstate ${i}`,
  startedAt: i,
});

/** A report whose commands are read from a source that counts how often it is read and how far. */
function reportOf(count: number) {
  const source = { reads: 0, pulled: 0 };
  const report = {
    commands: {
      *[Symbol.iterator]() {
        source.reads++;
        for (let i = 0; i < count; i++) {
          source.pulled = i + 1;
          yield command(i);
        }
      },
    },
  } as unknown as RenderableReport;
  return { report, source };
}

/** A rendering: `preamble` pieces first, then a piece per command, then a last one. */
function rendering(tag: string, preamble: number, seen: { taken: number }): Render {
  return function* (r) {
    for (let i = 0; i < preamble; i++) yield `${tag} head ${i}\n`;
    for (const c of r.commands) {
      seen.taken++;
      yield `${tag} ${c.id} ${c.command}\n`;
    }
    yield `${tag} end\n`;
  };
}

describe('renderSideBySide', () => {
  it('reads the commands once, each rendering whole and in order, holding only a few commands at a time', () => {
    const { report, source } = reportOf(3000);
    const seen = [{ taken: 0 }, { taken: 0 }, { taken: 0 }];
    // A rendering that starts with 2,000 pieces before its commands (a report's targets table).
    const renders = [rendering('md', 3, seen[0]!), rendering('json', 2000, seen[1]!), rendering('html', 0, seen[2]!)];
    const out = ['', '', ''];
    let mostHeld = 0;
    for (const [i, piece] of renderSideBySide(report, renders)) {
      out[i] += piece;
      mostHeld = Math.max(mostHeld, source.pulled - Math.min(...seen.map((s) => s.taken)));
    }
    expect(source.reads).toBe(1);
    renders.forEach((render, i) =>
      expect(out[i]).toBe([...render({ ...report, commands: [...Array(3000).keys()].map(command) })].join('')),
    );
    expect(mostHeld).toBeLessThanOrEqual(2);
  });

  it('a rendering that never reads the commands holds none of them back', () => {
    const { report, source } = reportOf(1000);
    const seen = { taken: 0 };
    const summaryOnly: Render = function* () {
      yield 'summary\n';
    };
    let mostAhead = 0;
    const out: string[] = ['', ''];
    for (const [i, piece] of renderSideBySide(report, [summaryOnly, rendering('md', 0, seen)])) {
      out[i] += piece;
      mostAhead = Math.max(mostAhead, source.pulled - seen.taken);
    }
    expect(out[0]).toBe('summary\n');
    expect(out[1]!.split('\n')).toHaveLength(1000 + 2);
    expect(mostAhead).toBeLessThanOrEqual(1);
  });

  it('a rendering that throws stops them all and closes the source', () => {
    let closed = false;
    const report = {
      commands: {
        *[Symbol.iterator]() {
          try {
            for (let i = 0; ; i++) yield command(i);
          } finally {
            closed = true;
          }
        },
      },
    } as unknown as RenderableReport;
    const failing: Render = function* (r) {
      let n = 0;
      for (const c of r.commands) {
        if (++n > 50) throw new Error('render failed');
        yield c.id;
      }
    };
    expect(() => [...renderSideBySide(report, [rendering('md', 0, { taken: 0 }), failing])]).toThrow('render failed');
    expect(closed).toBe(true);
  });
});
