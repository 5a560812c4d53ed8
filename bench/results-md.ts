/** bench/RESULTS.md from bench/results.json: the table the README's Performance section shows. */
import type { LatencyProfile } from '../src/lab/latency.js';
import { fullVmSlotMs } from './bound.js';

type Obj = Record<string, unknown>;

const num = (o: unknown, k: string): number | undefined => {
  const v = (o as Obj | undefined)?.[k];
  return typeof v === 'number' ? v : undefined;
};
/** A scalar read from results.json as text; `missing` when it is absent (or not a scalar). */
const text = (o: Obj, k: string, missing = '?'): string => {
  const v = o[k];
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : missing;
};
const s = (ms: number | undefined) =>
  ms === undefined ? '–' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms} ms`;
const met = (ok: boolean | undefined) => (ok === undefined ? '–' : ok ? 'met' : '**missed**');

/** Where a VM's host slot time went (details.*.slotPerVm, bench/slot-time.ts), against what the bound counts for it. */
function slotSentence(detail: Obj, profile: Obj | undefined): string {
  const slots = (detail['slotPerVm'] ?? {}) as Record<string, Obj>;
  const bounds: Record<string, number> | undefined = profile && fullVmSlotMs(profile as unknown as LatencyProfile);
  const parts = Object.entries(slots).map(
    ([step, x]) =>
      `${step} ${s(num(x, 'slotMs'))} (the bound ${s(bounds?.[step])}): its changes' execs ${s(num(x, 'changesMs'))}, ` +
      `its own reads ${s(num(x, 'readsMs'))} in ${text(x, 'readExecs')} execs, the rest ${s(num(x, 'otherMs'))}`,
  );
  return parts.length
    ? ` Per VM, the stages that hold a host slot held it for: ${parts.join('; ')} (bench/README.md, "Where a slot's time goes"; the rest is a kill taking effect, a poll's tick, a read another VM asked, a free channel).`
    : '';
}

export function renderResults(r: Obj): string {
  const f = r['failover'] as Obj;
  const ssh = r['ssh'] as Obj;
  const big = (r['failoverLarge'] ?? {}) as Obj;
  const dr = (r['drill'] ?? {}) as Obj;
  const c = r['capture'] as Obj;
  const ui = r['ui'] as Obj;
  const st = r['startup'] as Obj;
  const m = r['machine'] as Obj;
  const d = (r['details'] ?? {}) as Obj;
  const fd = (d['failover'] ?? {}) as Obj;
  const sd = (d['sequential'] ?? {}) as Obj;
  const ratio = num(f, 'ratioToBound');
  // From the figures shown, so a failover run without the sequential one never shows an old ratio.
  const seqMs = num(f, 'sequentialMs');
  const wall = num(f, 'wallMs');
  const speed = seqMs !== undefined && wall ? seqMs / wall : undefined;
  const conn = num(ssh, 'connectionsPerHost');
  const perVm = num(ssh, 'commandsPerVm');
  const bigRatio = num(big, 'ratioToBound');
  const bigRss = num(big, 'peakRssMb');
  const drRatio = num(dr, 'ratioToBound');
  const cap = num(c, 'wallMs');
  const med = num(ui, 'frameMedianMs');
  const p95 = num(ui, 'frameP95Ms');
  const idle = num(ui, 'idleCpuPercent');
  const ver = num(st, 'versionMs');
  const x = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(2)}×`);
  const goal = (v: number | undefined, ok: (v: number) => boolean) => met(v === undefined ? undefined : ok(v));
  const rows: string[][] = [
    [
      'Failover, 200 VMs on 8 hosts: drbook wall time',
      s(num(f, 'wallMs')),
      `median of ${(fd['runsMs'] as unknown[] | undefined)?.length ?? '?'} runs`,
      '',
    ],
    ['Failover: lower bound (computed)', s(num(f, 'boundMs')), 'bench/README.md', ''],
    ['Failover: sequential (one VM at a time)', s(num(f, 'sequentialMs')), `${text(sd, 'vms')} VMs measured, scaled to 200`, ''],
    ['Failover: ratio to the bound', x(ratio), '≤ 1.15×', goal(ratio, (v) => v <= 1.15)],
    ['Failover: speed-up vs sequential', speed === undefined ? '–' : `${speed.toFixed(1)}×`, '≥ 16×', goal(speed, (v) => v >= 16)],
    ['SSH connections per host per run', String(conn ?? '–'), '1', goal(conn, (v) => v === 1)],
    ['SSH commands per VM', String(perVm ?? '–'), '≤ 12', goal(perVm, (v) => v <= 12)],
    [
      `Failover, ${text(big, 'vms', '2000')} VMs on ${text(big, 'hosts', '40')} hosts: wall time / bound`,
      `${s(num(big, 'wallMs'))} / ${s(num(big, 'boundMs'))}`,
      'one run',
      '',
    ],
    ['Large failover: ratio to the bound', x(bigRatio), '≤ 1.25×', goal(bigRatio, (v) => v <= 1.25)],
    ['Large failover: SSH commands per VM', String(num(big, 'commandsPerVm') ?? '–'), '', ''],
    ['Large failover: peak RSS (drbook)', bigRss === undefined ? '–' : `${bigRss} MB`, '≤ 300 MB', goal(bigRss, (v) => v <= 300)],
    [
      `Drill, ${text(dr, 'vms', '200')} VMs on ${text(dr, 'hosts', '8')} hosts: wall time / bound`,
      `${s(num(dr, 'wallMs'))} / ${s(num(dr, 'boundMs'))}`,
      'one run',
      '',
    ],
    ['Drill: ratio to its bound / SSH commands per VM', `${x(drRatio)} / ${String(num(dr, 'commandsPerVm') ?? '–')}`, '', ''],
    ['Capture, 2,000 VMs on 20 hosts: wall time', s(cap), '≤ 5 s', goal(cap, (v) => v <= 5000)],
    ['Capture: peak RSS', `${num(c, 'peakRssMb') ?? '–'} MB`, '', ''],
    [
      'UI frame, 2,000 VMs at 160×48: median / p95',
      `${med ?? '–'} / ${p95 ?? '–'} ms`,
      '≤ 8 / ≤ 16 ms',
      met(med === undefined || p95 === undefined ? undefined : med <= 8 && p95 <= 16),
    ],
    ['CPU while waiting on a slow device (TUI mounted)', `${idle ?? '–'} %`, '≤ 2 %', goal(idle, (v) => v <= 2)],
    [
      '`drbook --version` / `--help`',
      `${ver ?? '–'} / ${num(st, 'helpMs') ?? '–'} ms`,
      '--version ≤ 150 ms (median of 15)',
      goal(ver, (v) => v <= 150),
    ],
  ];
  const table = ['| What | Result | Goal / note | |', '|---|---|---|---|', ...rows.map((x) => `| ${x.join(' | ')} |`)].join('\n');
  const steps = (fd['boundSteps'] ?? {}) as Record<string, number>;
  const measured = (fd['measuredSteps'] ?? {}) as Record<string, number>;
  const stepRows = Object.keys({ ...steps, ...measured })
    .filter((k) => (steps[k] ?? 0) > 0 || (measured[k] ?? 0) > 0)
    .map((k) => `| ${k} | ${s(measured[k])} | ${s(steps[k] === undefined ? undefined : Math.round(steps[k]))} |`);
  return `# drbook benchmark results

Generated by \`npm run bench\` (bench/run.ts) on ${text(m, 'finishedAt')} at commit ${text(m, 'commit')}.

${table}

Machine: ${String(m['nproc'])} CPUs (${String(m['cpu'])}), ${String(m['memGb'])} GB, ${String(m['platform'])}, Node ${String(m['node'])}.
${stale(r)}Load average (1, 5, 15 min) before: ${JSON.stringify(m['loadAverageBefore'])}, after: ${JSON.stringify(m['loadAverageAfter'])}
— the machine is shared; anything above ~2 means other work competed with the bench.

## The failover, step by step (median run)

Lab latency profile \`real\` × ${text(fd, 'latencyScale')}, perHost ${text(fd, 'perHost')}, poll interval ${text(fd, 'pollMs')} ms.
Runs: ${JSON.stringify(fd['runsMs'] ?? [])} ms. drbook CPU in the median run: ${s(num(fd, 'drbookCpuMs'))}.
The sequential figure: ${text(sd, 'method', '–')} (measured ${s(num(sd, 'measuredMs'))} for ${text(sd, 'vms')} VMs).
The model's own sequential estimate for 200 VMs: ${s(num(fd, 'sequentialModelMs'))}.

| step | measured | lower bound |
|---|---|---|
${stepRows.join('\n')}

${perVmBreakdown(r)}${baseline(r)}${missed(r)}## Reproduce

\`\`\`sh
npm install
npm run bench                      # all sections, ~5-8 min on 2 CPUs
npm run bench -- --only failover --runs 5 --scale 0.2
\`\`\`

How each figure is taken and the bound's model: bench/README.md.
`;
}

/**
 * Why each kind of ESXi command is sent, per VM (src/failover/actions.ts, the recover and fence
 * stages: check → apply → verify). Keys are prefixes of the command lines as counted by the bench.
 */
const WHY: [RegExp, string][] = [
  [
    /get\.guestheartbeatStatus/,
    "heartbeat stage: the polls of the wait (every 4 poll intervals, on the same ticks for every VM of a host, so joined in one exec; vCenter's, alone, every interval) until Tools is green; its verify is served by the last poll",
  ],
  [
    /power\.getstate/,
    'revert check (1), after the revert and after the snapshot delete (1 each, in their exec: the verify and the next check; the power-on check takes the latter however long the priority gate held the VM, while no change touched it), after power.on and after the answer to its question (1 each, in their exec), the heartbeat check (served by the read after the previous change, unless its turn came later than the moment)',
  ],
  [
    /snapshot\.get/,
    'revert check (1: the snapshot id the apply reverts to), after the revert (1, in its exec: the revert verify, the remove-snapshot check and the id to delete, kept however long the VM waited for a slot), after the delete (1, in its exec: the verify)',
  ],
  [
    /process list/,
    "fence: the VM's world id, the guard before each kill (a list sent after it asked, shared by the guards of that moment), the polls after it (from when this host's kills were seen to end; one list serves every VM whose world no kill touched since)",
  ],
  [
    /getallvms/,
    "fence: the listing (per host), after each unregister (1, in its exec: the verify; the unregister itself is guarded by the host's own lookup, with no read before it), register check, after each registervm (1, in its exec: the verify); one list serves every caller while no change since touched the VM, .vmx or name it asks after",
  ],
  [
    /vmsvc\/message/,
    'power-on: the moved-or-copied question, after power.on (in its exec) and polled while power.on runs; the answer itself',
  ],
  [/^test\b/, 'register through vCenter: `test -e` of the .vmx on the mirror before it (on a host, the guard is in the registervm line)'],
  [/^vim-cmd -U/, 'lockdown: is it on, exit and enter again (per host)'],
  [/nfs list/, 'mount: is the mirror datastore mounted, before and after the add (per host)'],
  [/filesystem list/, "fence: which datastore a running world's files are on (shared per host)"],
];

/** Commands per VM, by kind, from the measured run, and why each is sent (issue #20, step 4). */
function perVmBreakdown(r: Obj): string {
  const d = (r['details'] ?? {}) as Obj;
  const kinds = ((d['ssh'] as Obj | undefined)?.['commandKinds'] ?? {}) as Record<string, number>;
  const vms = num(r['failover'], 'vms') ?? 200;
  const rows = Object.entries(kinds)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => {
      const why = CHANGES.test(k)
        ? / && /.test(k)
          ? 'the change itself, run by the host only when the guard read right before it, in the same line, lets it (a revert: the VM not on; a register: the .vmx there)'
          : 'the change itself'
        : (WHY.find(([re]) => re.test(k))?.[1] ?? '');
      return `| \`${k}\` | ${(n / vms).toFixed(1)} | ${why} |`;
    });
  if (!rows.length) return '';
  return `## SSH commands per VM in the failover, by kind (measured run)

${String(num(r['ssh'], 'commandsPerVm') ?? '?')} SSH commands (execs) per VM to the ESXi hosts in all, carrying ${String(num(r['ssh'], 'deviceCommandsPerVm') ?? '?')} device commands per VM: reads asked for at the same moment go to a host in one exec (src/transport/batch.ts), and a read shared by several VMs of a host is sent once. The table counts device commands.

| command | per VM | why |
|---|---|---|
${rows.join('\n')}

The guard read right before a kill and every verify read stay; a revert's and a register's guards are read by the host in the change's own line, and an unregister and a power-on are guarded by the host's own refusal (it unregisters no vmid it does not know, powers on no VM that is on).

`;
}

/** The same failover at the commit before issue #20's work, measured on the same machine the same day (details.baseline). */
function baseline(r: Obj): string {
  const b = ((r['details'] as Obj | undefined)?.['baseline'] ?? null) as Obj | null;
  if (!b) return '';
  const steps = (b['steps'] ?? {}) as Record<string, number>;
  return `## Before shared reads (same machine, same day)

The 200-VM failover at commit ${String(b['commit'])} (one run, load average ${String(b['loadAverage'])}): ${s(num(b, 'wallMs'))}, ${String(b['commandsPerVm'])} ESXi commands per VM; fence ${s(steps['fence'])}, recover ${s(steps['recover'])}. Its commands by kind, per VM: ${Object.entries(
    (b['commandKinds'] ?? {}) as Record<string, number>,
  )
    .slice(0, 6)
    .map(([k, n]) => `${k} ${(n / 200).toFixed(1)}`)
    .join(', ')}.

`;
}

/** Sections whose figures come from an earlier run than this one (a run of some sections keeps the others). */
function stale(r: Obj): string {
  const started = text(r['machine'] as Obj, 'startedAt', '');
  const commit = text(r['machine'] as Obj, 'commit', '');
  const old = ['failover', 'failoverLarge', 'drill', 'capture', 'ui', 'startup'].filter(
    (k) => r[k] && Object.keys(r[k] as Obj).length > 0 && (r[k] as Obj)['measuredAt'] !== started,
  );
  if (!old.length) return '';
  const when = (k: string): string => {
    const sec = r[k] as Obj;
    const at = text(sec, 'measuredAt', '?')
      .replace(/:\d\d\.\d+Z$/, ' UTC')
      .replace('T', ' ');
    const c = text(sec, 'commit', '');
    const load = sec['loadAverageBefore'] ? `, load before ${JSON.stringify(sec['loadAverageBefore'])}` : '';
    return `${k} (${at}${c ? `, commit ${c}${c === commit ? ', the same' : ''}` : ', commit not recorded'}${load})`;
  };
  return `Kept from an earlier run of the bench: ${old.map(when).join('; ')}.\n`;
}

/** Commands that change a device (every other kind is a read). */
const CHANGES =
  /unregister|registervm|power\.on|power\.off|process kill|snapshot\.revert|snapshot\.remove|nfs add|nfs remove|lockdown_mode|message \d+ \S+ \d+|^mv|^sed/;

/** Why a goal is missed, from the figures themselves (never a different bound). */
function missed(r: Obj): string {
  const f = r['failover'] as Obj;
  const ssh = r['ssh'] as Obj;
  const big = (r['failoverLarge'] ?? {}) as Obj;
  const c = r['capture'] as Obj;
  const ui = r['ui'] as Obj;
  const st = r['startup'] as Obj;
  const m = r['machine'] as Obj;
  const d = (r['details'] ?? {}) as Obj;
  const fd = (d['failover'] ?? {}) as Obj;
  const bd = (d['failoverLarge'] ?? {}) as Obj;
  const kinds = ((d['ssh'] as Obj | undefined)?.['commandKinds'] ?? {}) as Record<string, number>;
  const vms = num(f, 'vms') ?? 200;
  const load = (m['loadAverageBefore'] as number[] | undefined)?.[0];
  const loadAfter = (m['loadAverageAfter'] as number[] | undefined)?.[0];
  const shared = load !== undefined && load > 2;
  const machine = shared
    ? ` The machine was shared with seven other engineers' builds and tests (load average ${load} before, ${String(loadAfter)} after, on ${String(m['nproc'])} CPUs): every round trip waited for CPU.`
    : '';
  const out: string[] = [];
  const perVm = num(ssh, 'commandsPerVm');
  if (perVm !== undefined && perVm > 12 && Object.keys(kinds).length) {
    const per = (n: number) => (n / vms).toFixed(1);
    const changes = Object.entries(kinds).filter(([k]) => CHANGES.test(k));
    const reads = Object.entries(kinds).filter(([k]) => !CHANGES.test(k));
    const changeCount = changes.reduce((a, [, n]) => a + n, 0);
    const carried = num(ssh, 'deviceCommandsPerVm');
    out.push(
      `- **${perVm} SSH commands per VM (goal 12).** They carried ${String(carried ?? '?')} device commands per VM: ` +
        `${per(changeCount)} change something (${changes.map(([k, n]) => `${k} ${per(n)}`).join(', ')}) and the rest are reads ` +
        `(${reads
          .slice(0, 8)
          .map(([k, n]) => `${k} ${per(n)}`)
          .join(', ')}). Reads asked of a host at the same moment go in one exec (src/transport/batch.ts), polls ` +
        `fall on shared clock ticks so that every VM waiting on a host is polled in one exec (src/failover/wait.ts), and a ` +
        `read the host was asked a moment ago by another caller is shared (src/transport/shared-reads.ts). What still goes ` +
        `alone: each change, and the reads one VM's stages make one after another (a stage's verify, then the next stage's ` +
        `check, then, before a kill, its guard), which no other VM's read meets at that moment. Joining those would ` +
        `mean reading the next stage's state before this one is verified, or holding reads back to wait for company (a round ` +
        `trip more on every VM's path); neither is done.`,
    );
  }
  const ratio = num(f, 'ratioToBound');
  if (ratio !== undefined && ratio > 1.15) {
    const steps = (fd['boundSteps'] ?? {}) as Record<string, number>;
    const measured = (fd['measuredSteps'] ?? {}) as Record<string, number>;
    const gaps = Object.keys(steps)
      .map((k) => [k, (measured[k] ?? 0) - steps[k]!] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    out.push(
      `- **Ratio to the bound ${ratio.toFixed(2)}× (goal 1.15×).** The bound counts one command per device operation and ` +
        `nothing else; drbook sent ${String(perVm ?? '?')} ESXi commands per VM (see above), each a round trip of the lab's ` +
        `${text((fd['profile'] ?? {}) as Obj, 'command')} ms plus SSH and lab processing on this machine, and ` +
        `polled waits end up to one poll interval after the device is done (the heartbeat is polled every 4 intervals; a kill's wait from when this host's kills were seen to end). ` +
        `The largest gaps: ${gaps.map(([k, g]) => `${k} +${s(Math.round(g))}`).join(', ')}.` +
        slotSentence(fd, fd['profile'] as Obj | undefined) +
        ` What is left in the slot is the reads the safety rules ask for (the check before a change, the guard (a read sent after it asked) ` +
        `right before a kill or, for a revert and a register, by the host in the change's own line, the verify after it: ` +
        `each a device command of the lab's ` +
        `${text((fd['profile'] ?? {}) as Obj, 'command')} ms) and the polls' ticks; the bound counts neither. (The reads after ` +
        `a register's, a revert's, a snapshot delete's and an unregister's change no longer hold the slot, ActionIO.changesEnded, but the ` +
        `split still counts them.) The recover ends with its last VMs' Tools heartbeats, polled every 4 poll intervals on the ` +
        `clock's ticks, so it ends up to that long after the last VM is green (vCenter's, alone, is polled every interval).${machine}`,
    );
  }
  const bigRatio = num(big, 'ratioToBound');
  if (bigRatio !== undefined && bigRatio > 1.25) {
    const steps = (bd['boundSteps'] ?? {}) as Record<string, number>;
    const measured = (bd['measuredSteps'] ?? {}) as Record<string, number>;
    const gaps = Object.keys(steps)
      .map((k) => [k, (measured[k] ?? 0) - steps[k]!] as const)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3);
    out.push(
      `- **Large failover ${bigRatio.toFixed(2)}× its bound (goal 1.25×).** Same per-VM commands (${String(num(big, 'commandsPerVm') ?? '?')} per VM) ` +
        `on 40 lab hosts whose SSH servers and simulation share one Node process, on the same ${String(m['nproc'])} CPUs as drbook: ` +
        `CPU in the run, drbook ${s(num(bd, 'drbookCpuMs'))}, the lab ${s(num(bd, 'labCpuMs') ?? undefined)}. ` +
        `The largest gaps: ${gaps.map(([k, g]) => `${k} +${s(Math.round(g))}`).join(', ')}.` +
        slotSentence(bd, fd['profile'] as Obj | undefined) +
        ` Until 317f2b8 the lab wrote its whole state (~20 MB of JSON) once a second, and no simulated host answered ` +
        `meanwhile: the lab's CPU was 59 s, its reverts and snapshot deletes took up to twice their profile's time, and this ` +
        `run took 105–110 s; since, the lab writes it no more than a twentieth of its time. drbook's own share: a CPU profile ` +
        `(6 December) put a quarter of its CPU in the journal's commits, a tenth in the report (rendered in one pass since ` +
        `47d445d: 6.8 s to 3.9 s on the journal of one such run, the same bytes written), and most of the rest in ssh2's ` +
        `crypto and the SSH sessions.${machine}`,
    );
  }
  const rss = num(big, 'peakRssMb');
  if (rss !== undefined && rss > 300) {
    out.push(
      `- **Large failover peak RSS ${rss} MB (goal 300 MB).** The run keeps in memory only the events its steps decide from ` +
        `(src/engine/decision-events.ts: no read's output), and the report is rendered from the journal as it is written, in ` +
        `chunks (no whole-report string, no copy of the commands). A heap snapshot after a full GC finds some 60–70 MB live ` +
        `(16 MB of it ssh2's Poly1305 WASM memory); the rest is garbage of the ~70,000 commands (outputs, parses, events on ` +
        `their way to the journal) that lives long enough to reach V8's old generation between full GCs. A larger young ` +
        `generation (--max-semi-space-size=64) did not lower the peak. drbook lets the old generation grow by 50% of the live ` +
        `heap between full GCs, not V8's up to 300% (src/heap-growth.ts; 100% from 7096f52, 50% since 175a3f2): at 100% three ` +
        `runs of 7 December peaked at 314–326 MB, at 50% three runs at 284–288 MB, with the same CPU. At this run's peak: ` +
        `heap ${text((bd['memoryAtPeakMb'] ?? {}) as Obj, 'heapTotal')} MB (${text((bd['memoryAtPeakMb'] ?? {}) as Obj, 'heapUsed')} MB used), ` +
        `external ${text((bd['memoryAtPeakMb'] ?? {}) as Obj, 'external')} MB; the rest of the RSS is code, stacks, tsx and native memory. ` +
        `The peak still rides on when a full GC falls.`,
    );
  }
  const seqMs = num(f, 'sequentialMs');
  const wall = num(f, 'wallMs');
  if (seqMs !== undefined && wall && seqMs / wall < 16) {
    const when = text((d['sequential'] ?? {}) as Obj, 'measuredAt', text(f, 'sequentialMeasuredAt', 'an earlier run'));
    out.push(
      `- **Speed-up ${(seqMs / wall).toFixed(1)}× (goal 16×).** The sequential figure (${s(seqMs)}) ${f['measuredAt'] && when !== text(f, 'measuredAt') ? `is kept from ${when === 'an earlier run' ? 'an earlier run, on another machine' : when}: run \`--only failover,sequential\` together to compare like with like` : 'was measured in this run'}.`,
    );
  }
  if (num(big, 'wallMs') === undefined) {
    out.push(
      `- **The 2,000-VM failover has no figure yet.** \`npm run bench -- --only failoverLarge\` measures it; on 2 shared CPUs it takes many minutes (40 lab SSH servers and drbook share them), so run it on a quiet machine.`,
    );
  }
  const cap = num(c, 'wallMs');
  if (cap !== undefined && cap > 5000) {
    out.push(
      `- **Capture ${(cap / 1000).toFixed(1)} s (goal 5 s).** The capture now reads the .vmx keys it records with one \`grep -H\` per ` +
        `batch of up to 50 VMs (about 10 commands per host instead of one \`cat\` per VM: ~200 commands for 2,000 VMs instead of ~2,100), ` +
        `and parses the site file once. What is left is mostly CPU: the lab's 20 SSH servers run in one Node process on the same CPUs ` +
        `as drbook, drbook's own start-up, SSH handshakes to 21 devices, the 2,000-VM site file parsed by \`yaml\` (~0.5 s), and the ` +
        `YAML export written with \`yaml\`'s stringify (~1–2 s of CPU on this machine for 2,000 VMs; a faster emitter is the next step).${machine}`,
    );
  }
  const med = num(ui, 'frameMedianMs');
  const p95 = num(ui, 'frameP95Ms');
  if ((med !== undefined && med > 8) || (p95 !== undefined && p95 > 16)) {
    out.push(
      `- **UI frame ${String(med)} / ${String(p95)} ms (goal 8 / 16 ms).** The table is windowed (only the visible rows ` +
        `are rendered, finished rows memoised), updates are throttled to 50 ms, React runs its production build, and Ink 6.8.0 is ` +
        `patched (patches/ink+6.8.0.patch): its output grid reuses a row's text when the row's writes did not change, and its ` +
        `text measures are cached across frames, so a frame costs what changed on it (24.5 / 53.8 ms before the patch, on ` +
        `4 December). What is left per update (${text((((r['details'] ?? {}) as Obj)['ui'] as Obj) ?? {}, 'cpuPerFrameMs', '?')} ms of CPU in this run) is React's ` +
        `reconciliation of the visible rows, Yoga's layout of the tree and the rows that changed; the view model's share ` +
        `(reduceMedianMs) is under 1 ms.${machine}`,
    );
  }
  const idle = num(ui, 'idleCpuPercent');
  if (idle !== undefined && idle > 2)
    out.push(
      `- **Idle CPU ${idle} % (goal 2 %).** While the SnapRestore runs, the screen re-renders once a second (the elapsed ` +
        `times tick) and on each event of the run, each a frame of a few ms (above). The window is one SnapRestore (~5 s), ` +
        `so one major GC of the lab's set-up garbage, which runs in the bench's process, falling inside it moves the figure by ` +
        `several points: 1.8 % and 8.2 % in two runs of 5 December on a quiet machine, same commit. A profile of a 5.3 s ` +
        `window (4 December) found ~36 ms in React/Ink (the 1 Hz clock) and ~15 ms in the bench's own journal poll.${machine}`,
    );
  const ver = num(st, 'versionMs');
  if (ver !== undefined && ver > 150)
    out.push(
      `- **\`--version\` ${ver} ms (goal 150 ms).** Node alone (\`node -e ''\`, the same 15 spawns) took ` +
        `${num(st, 'nodeMs') ?? '?'} ms on this machine in this run; the rest is drbook's few modules of the \`--version\` ` +
        `path (src/cli.ts loads neither the parser nor the commands for it).${machine}`,
    );
  const conn = num(ssh, 'connectionsPerHost');
  if (conn !== undefined && conn !== 1)
    out.push(`- **${conn} connections per host (goal 1).** A connection was dropped and reopened during the run.`);
  if (!out.length && shared) out.push(machine.trim());
  return out.length ? `## Where a goal is missed, and why\n\n${out.join('\n')}\n\n` : '';
}
