import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/events.js';
import { createFlagPrompter, fanOut } from '../../src/engine/ports.js';
import { runRunbook } from '../../src/engine/runner.js';
import { chalkFor, colorLevel } from '../../src/reporters/color.js';
import { createLineReporter } from '../../src/reporters/line-reporter.js';
import { createNdjsonReporter, parseNdjson } from '../../src/reporters/ndjson.js';
import { stringifyWithIsoTimes } from '../../src/reporters/json-times.js';
import { buildReport, renderHtml, renderMarkdown, renderReport, streamedReport, writeReport } from '../../src/reporters/report.js';
import { createRedactor, redactStrings } from '../../src/transport/redact.js';
import { escapeHtml } from '../../src/text/html.js';
import { fakeActions, makeWorld, recorder, testRunbook } from '../engine/fake-world.js';

/** A small run with a confirmation, a failed VM, commands and a hostile VM name. */
function scriptedEvents(): EngineEvent[] {
  const base = Date.UTC(2026, 10, 22, 1, 0, 0);
  let t = base;
  const at = (ms = 1000) => (t += ms);
  return [
    { type: 'run.started', at: t, runId: 'r-1', site: 'lab', runbook: 'vsc-failover', resumed: false },
    { type: 'step.state', at: at(), stepId: 'break', state: 'running', title: 'Break the mirror' },
    { type: 'step.targets', at: at(0), stepId: 'break', stages: [], targets: [{ id: 'mirror', label: 'svm2:vol2' }] },
    {
      type: 'prompt.requested',
      at: at(),
      promptId: 'break.confirm',
      kind: 'typed',
      title: 'Break svm2:vol2',
      lines: ['the mirror becomes writable'],
      expect: 'svm2:vol2',
    },
    { type: 'prompt.answered', at: at(), promptId: 'break.confirm', answer: 'yes', by: 'alice', via: 'flag' },
    { type: 'target.state', at: at(), stepId: 'break', targetId: 'mirror', state: 'running' },
    {
      type: 'command.started',
      at: at(),
      id: 'c1',
      host: 'cluster1',
      command: 'snapmirror break -destination-path svm2:vol2',
      stepId: 'break',
      targetId: 'mirror',
    },
    {
      type: 'command.finished',
      at: at(),
      id: 'c1',
      host: 'cluster1',
      exitCode: 0,
      signal: null,
      durationMs: 1000,
      stdoutTail: 'Operation succeeded',
      stderrTail: '',
      stepId: 'break',
      targetId: 'mirror',
    },
    { type: 'target.state', at: at(), stepId: 'break', targetId: 'mirror', state: 'done' },
    { type: 'step.state', at: at(0), stepId: 'break', state: 'done' },
    { type: 'step.state', at: at(), stepId: 'vms', state: 'running', title: 'Register the VMs' },
    {
      type: 'step.targets',
      at: at(0),
      stepId: 'vms',
      stages: ['register'],
      targets: [
        { id: 'web01', label: 'web01', host: 'esx1' },
        { id: 'evil', label: '<script>alert(1)</script> | x', host: 'esx2' },
      ],
    },
    { type: 'target.state', at: at(), stepId: 'vms', targetId: 'web01', state: 'running', stage: 'register' },
    { type: 'target.state', at: at(0), stepId: 'vms', targetId: 'evil', state: 'running', stage: 'register' },
    {
      type: 'command.started',
      at: at(),
      id: 'c2',
      host: 'esx2',
      command: "vim-cmd solo/registervm '/vmfs/volumes/ds2/e`v`il/x.vmx' 'a|b'",
      stepId: 'vms',
      targetId: 'evil',
    },
    {
      type: 'command.finished',
      at: at(),
      id: 'c2',
      host: 'esx2',
      exitCode: 1,
      signal: null,
      durationMs: 800,
      stdoutTail: '',
      stderrTail: 'vim.fault.AlreadyExists\nmsg = "The specified key, name, or identifier already exists."',
      stepId: 'vms',
      targetId: 'evil',
    },
    { type: 'target.state', at: at(), stepId: 'vms', targetId: 'web01', state: 'done', stage: 'register' },
    { type: 'target.state', at: at(0), stepId: 'vms', targetId: 'web01', state: 'done' },
    {
      type: 'target.state',
      at: at(),
      stepId: 'vms',
      targetId: 'evil',
      state: 'failed',
      stage: 'register',
      error: 'esx2: already exists',
      note: 'skipped by the operator; the others go on',
    },
    { type: 'note', at: at(0), level: 'warn', text: 'attempt 1 of 2 failed' },
    { type: 'step.state', at: at(0), stepId: 'vms', state: 'failed', note: '1 of 2 failed' },
    { type: 'run.finished', at: at(), outcome: 'failed', error: '1 target(s) failed: evil' },
  ];
}

function lines(events: EngineEvent[], opts: Partial<Parameters<typeof createLineReporter>[0]> = {}): string {
  let out = '';
  const r = createLineReporter({ write: (s) => (out += s), timeZone: 'utc', ...opts });
  for (const e of events) r.emit(e);
  return out;
}

describe('line reporter', () => {
  it('prints one readable line per meaningful event, with timestamps and no colors', () => {
    expect(lines(scriptedEvents())).toBe(
      [
        '01:00:00 run r-1: vsc-failover on site lab',
        '01:00:01 step Break the mirror',
        '01:00:02 ? Break svm2:vol2',
        '01:00:02     the mirror becomes writable',
        '01:00:02     type: svm2:vol2',
        '01:00:03   answered "yes" by alice (flag)',
        '01:00:07   svm2:vol2: done in 3.0 s',
        '01:00:07 step Break the mirror: done (1/1, 6.0 s)',
        '01:00:08 step Register the VMs',
        "01:00:11   $ esx2: vim-cmd solo/registervm '/vmfs/volumes/ds2/e`v`il/x.vmx' 'a|b' → exit 1 (800 ms): msg = \"The specified key, name, or identifier already exists.\"",
        '01:00:12   web01 (esx1): done in 3.0 s',
        '01:00:13   <script>alert(1)</script> | x (esx2): FAILED at register: esx2: already exists — skipped by the operator; the others go on',
        '01:00:13 warn: attempt 1 of 2 failed',
        '01:00:13 step Register the VMs: FAILED: 1 of 2 failed',
        '01:00:14 run r-1 FAILED in 14.0 s: 1 target(s) failed: evil',
        '',
      ].join('\n'),
    );
  });

  it('verbose adds commands, stages and targets', () => {
    const out = lines(scriptedEvents(), { verbose: true });
    expect(out).toContain('01:00:05   $ cluster1: snapmirror break -destination-path svm2:vol2\n');
    expect(out).toContain('→ exit 0 (1.0 s)\n');
    expect(out).toContain('  web01 (esx1): register…\n');
    expect(out).toContain('  2 target(s), stages register\n');
  });

  it('colors only with a chalk of level > 0; NO_COLOR wins', () => {
    const plain = lines(scriptedEvents(), { chalk: new Chalk({ level: 0 }) });
    expect(plain).not.toContain('\u001b[');
    expect(lines(scriptedEvents(), { chalk: new Chalk({ level: 1 }) })).toContain('\u001b[31m');
    expect(colorLevel({ NO_COLOR: '1', FORCE_COLOR: '3' }, true)).toBe(0);
    expect(colorLevel({}, false)).toBe(0);
    expect(colorLevel({ TERM: 'xterm-256color' }, true)).toBe(2);
    expect(colorLevel({ FORCE_COLOR: '1' }, false)).toBe(1);
    expect(chalkFor({ NO_COLOR: 'x' }, true).level).toBe(0);
  });

  it('neutralises control characters from devices', () => {
    const out = lines([{ type: 'note', at: 0, level: 'info', text: 'x\u001b[2Jy' }]);
    expect(out).toBe('00:00:00 info: x?[2Jy\n');
  });

  it('says how to resume a stopped run', () => {
    const out = lines([
      { type: 'run.started', at: 0, runId: 'r-9', site: 's', runbook: 'rb', resumed: false },
      { type: 'run.finished', at: 5, outcome: 'stopped', error: 'stopped by the operator' },
    ]);
    expect(out).toContain('run r-9 stopped: stopped by the operator — drbook resume r-9 continues it');
  });
});

describe('NDJSON reporter', () => {
  it('writes one event per line, times in ISO 8601, that reads back identical', async () => {
    let out = '';
    const rec = recorder();
    const world = makeWorld(1, 2);
    await runRunbook({
      runbook: testRunbook(),
      actions: fakeActions(),
      context: world,
      sink: fanOut(
        rec,
        createNdjsonReporter((s) => (out += s)),
      ),
      prompter: createFlagPrompter({ confirm: 'svm2:vol2' }),
      runId: 'r',
      site: 's',
      limits: { perHost: 2 },
    });
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trimEnd().split('\n')).toHaveLength(rec.events.length);
    expect(parseNdjson(out)).toEqual(JSON.parse(JSON.stringify(rec.events)));
    // Times on the wire are ISO 8601 (the journal keeps ms): no epoch number anywhere.
    const lines = out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { at: unknown });
    lines.forEach((l, i) => expect(l.at).toBe(new Date(rec.events[i]!.at).toISOString()));
    expect(out).not.toMatch(/":\s*1\d{12}\b/);
  });
});

describe('report', () => {
  it('holds per-step and per-VM timings, every command, every confirmation, the failures', () => {
    const r = buildReport(scriptedEvents());
    expect(r).toMatchObject({ runId: 'r-1', site: 'lab', outcome: 'failed', durationMs: 14_000, resumes: 0 });
    expect(r.steps.map((s) => [s.id, s.state, s.durationMs])).toEqual([
      ['break', 'done', 6000],
      ['vms', 'failed', 5000],
    ]);
    expect(r.targets.find((t) => t.id === 'web01')).toMatchObject({ host: 'esx1', state: 'done', durationMs: 3000 });
    expect(r.commands.map((c) => [c.id, c.exitCode])).toEqual([
      ['c1', 0],
      ['c2', 1],
    ]);
    expect(r.confirmations).toEqual([expect.objectContaining({ title: 'Break svm2:vol2', answer: 'yes', by: 'alice', via: 'flag' })]);
    expect(r.failures).toEqual([
      {
        stepId: 'vms',
        targetId: 'evil',
        label: '<script>alert(1)</script> | x',
        host: 'esx2',
        stage: 'register',
        error: 'esx2: already exists',
      },
    ]);
  });

  it('Markdown keeps tables intact with hostile names and commands', () => {
    const md = renderMarkdown(buildReport(scriptedEvents()));
    expect(md).toContain('- Outcome: **failed** — 1 target(s) failed: evil');
    expect(md).toContain('| Break svm2:vol2 | yes | alice | flag |');
    expect(md).toContain("`` vim-cmd solo/registervm '/vmfs/volumes/ds2/e`v`il/x.vmx' 'a\\|b' ``");
    expect(md).toContain('&lt;script>alert(1)&lt;/script> \\| x');
    expect(md).not.toContain('<script>');
    // Every table row has as many cells as its header.
    for (const block of md.split('\n\n').filter((b) => b.startsWith('|'))) {
      const rows = block.split('\n');
      const count = (row: string) => row.replace(/\\\|/g, '').split('|').length;
      for (const row of rows) expect(count(row), row).toBe(count(rows[0]!));
    }
  });

  it('HTML escapes everything', () => {
    const html = renderHtml(buildReport(scriptedEvents()));
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; | x');
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });

  it('writes md, json and html files readable only by their owner', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drbook-report-'));
    const files = await writeReport(dir, scriptedEvents, { formats: ['md', 'json', 'html'] });
    expect(files.map((f) => path.basename(f))).toEqual(['drbook-r-1.md', 'drbook-r-1.json', 'drbook-r-1.html']);
    for (const f of files) expect(statSync(f).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(files[1]!, 'utf8'))).toMatchObject({ runId: 'r-1', outcome: 'failed' });
  });

  it('streamed, the commands come in the order they started, each with its answer, however they interleave', () => {
    const answer = (id: string, exitCode: number, at: number): EngineEvent => ({
      type: 'command.finished',
      at,
      id,
      host: 'esx1',
      exitCode,
      signal: null,
      durationMs: 1,
      stdoutTail: `out ${id}`,
      stderrTail: '',
    });
    const start = (id: string, at: number): EngineEvent => ({ type: 'command.started', at, id, host: 'esx1', command: `cmd ${id}` });
    const events: EngineEvent[] = [
      ...scriptedEvents(),
      start('a', 1),
      start('b', 2),
      answer('b', 0, 3),
      answer('x', 2, 4), // its start was not journaled: where its answer came
      answer('a', 1, 5),
      start('d', 6), // never answered: drbook died with it in flight
      { type: 'run.started', at: 7, runId: 'r-1', site: 'lab', runbook: 'vsc-failover', resumed: true },
      start('e', 8),
      answer('e', 0, 9),
    ];
    const streamed = streamedReport(() => events);
    expect([...streamed.commands].map((c) => [c.id, c.exitCode, c.stdoutTail])).toEqual([
      ['c1', 0, expect.any(String)],
      ['c2', 1, expect.any(String)],
      ['a', 1, 'out a'],
      ['b', 0, 'out b'],
      ['x', 2, 'out x'],
      ['d', undefined, undefined],
      ['e', 0, 'out e'],
    ]);
    expect(buildReport(events).commands).toEqual([...streamed.commands]);
    for (const f of ['md', 'json', 'html'] as const) expect(renderReport(streamed, f)).toBe(renderReport(buildReport(events), f));
  });

  it('each file, written as it is rendered and redacted row by row, is the whole rendering of the redacted report', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'drbook-report-'));
    const redactor = createRedactor();
    redactor.add('alice'); // who confirmed: in the confirmations, not in the events' redacted fields
    redactor.add('registervm'); // in a command line
    const files = await writeReport(dir, scriptedEvents, { formats: ['md', 'json', 'html'], redactor });
    const whole = redactStrings(buildReport(scriptedEvents()), redactor);
    expect(readFileSync(files[0]!, 'utf8')).toBe(renderMarkdown(whole));
    expect(readFileSync(files[1]!, 'utf8')).toBe(`${stringifyWithIsoTimes(whole, 2)}\n`);
    expect(readFileSync(files[2]!, 'utf8')).toBe(renderHtml(whole));
    for (const f of files) expect(readFileSync(f, 'utf8')).not.toMatch(/alice|registervm/);
  });
});
