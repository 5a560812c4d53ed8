import { Box, Text } from 'ink';
import type { HypervBoardData, SituationData } from '../types.js';
import { csvHealthy } from '../../hyperv/board.js';
import { hypervMessages } from '../../i18n/hyperv.js';
import { fit, fitEnd, shortDuration, width } from '../text.js';
import { tint, useUi, type Ui } from '../theme.js';

export interface SituationBoardProps {
  situation?: SituationData | undefined;
  /** A Hyper-V recovery's board, drawn in place of the situation. */
  hypervBoard?: HypervBoardData | undefined;
  /** Any other board, as the run words it (the plain output's lines). */
  boardLines?: readonly string[] | undefined;
  width: number;
  /** Lines available; the board never uses more. */
  lines: number;
  now: number;
}

interface Line {
  text: string;
  color?: string | undefined;
}

function boardLines(ui: Ui, s: SituationData, now: number, lines: number): Line[] {
  const m = ui.msg;
  const out: Line[] = [];
  const rel = s.relationship;
  if (rel) {
    const lag = rel.lagSeconds !== undefined ? shortDuration(rel.lagSeconds * 1000) : rel.lag;
    const text = lag
      ? m.mirrorLine({ destination: rel.destination, state: rel.state, lag })
      : m.mirrorLineNoLag({ destination: rel.destination, state: rel.state });
    out.push({ text, color: rel.healthy ? 'green' : 'yellow' });
  }
  const chosen = s.snapshots.find((x) => x.chosen) ?? s.snapshots[0];
  // Extra lines when there is room: the other snapshots, then one line per host.
  const roomy = lines >= 6;
  if (!chosen) out.push({ text: m.snapshotNone, color: 'red' });
  else {
    const snaps = roomy ? s.snapshots.slice(0, Math.max(1, lines - 4 - Math.min(s.hosts.length, 4))) : [chosen];
    for (const snap of snaps) {
      out.push({
        text: `${snap === chosen ? '▸ ' : '  '}${m.snapshotLine({
          name: snap.name,
          age: snap.createdAt !== undefined ? shortDuration(now - snap.createdAt) : '?',
          quiesced: snap.quiesced,
          total: snap.total,
        })}`,
        color: snap.quiesced < snap.total ? 'yellow' : 'green',
      });
    }
    const older = s.snapshots.length - snaps.length;
    if (older > 0 && roomy) out.push({ text: `  ${m.snapshotsOlder({ count: older })}`, color: 'gray' });
  }
  const up = s.hosts.filter((h) => h.reachable).length;
  const locked = s.hosts.filter((h) => h.lockdown === 'on').length;
  const exited = s.hosts.filter((h) => h.lockdown === 'exited').length;
  const hostColor = up < s.hosts.length ? 'red' : exited > 0 ? 'yellow' : undefined;
  const staleLine: Line =
    s.staleVms > 0 ? { text: m.staleSome({ count: s.staleVms }), color: 'yellow' } : { text: m.staleNone, color: 'green' };
  const missingLine: Line | undefined = s.missingVms ? { text: m.missingSome({ count: s.missingVms }), color: 'red' } : undefined;
  const tailLines = 1 + (missingLine ? 1 : 0);
  const hostRoom = lines - out.length - tailLines;
  if (roomy && hostRoom >= s.hosts.length + 1 && s.hosts.length > 0) {
    out.push({ text: m.hostsSummary({ up, total: s.hosts.length, locked, exited }), color: hostColor });
    const hostCols = Math.min(24, Math.max(8, ...s.hosts.map((h) => width(h.name))));
    for (const h of s.hosts) {
      const lock =
        h.lockdown === 'on' ? m.lockOn : h.lockdown === 'off' ? m.lockOff : h.lockdown === 'exited' ? m.lockExited : m.lockUnknown;
      out.push({
        text: `  ${h.reachable ? '✔' : '✘'} ${fit(h.name, hostCols)} ${fit(h.reachable ? m.hostUp : m.hostDown, 12)} ${lock}`,
        color: !h.reachable ? 'red' : h.lockdown === 'exited' ? 'yellow' : undefined,
      });
    }
  } else {
    out.push({ text: m.hostsSummary({ up, total: s.hosts.length, locked, exited }), color: hostColor });
  }
  out.push(staleLine);
  if (missingLine) out.push(missingLine);
  return out;
}

/** A Hyper-V cluster's board: nodes, CSVs, the capture's VMs against what is registered now. */
function hypervLines(ui: Ui, b: HypervBoardData, lines: number): Line[] {
  const m = hypervMessages(ui.lang);
  const up = b.nodes.filter((n) => n.reachable).length;
  const bad = b.csvs.filter((v) => !csvHealthy(v));
  const out: Line[] = [
    { text: m.boardCluster({ cluster: b.cluster, up, total: b.nodes.length }), color: up < b.nodes.length ? 'red' : 'green' },
    bad.length === 0
      ? { text: m.boardCsvsOk({ count: b.csvs.length }), color: 'green' }
      : { text: m.boardCsvsBad({ bad: bad.map((v) => `${v.name} ${v.state}`).join(', ') }), color: 'yellow' },
    { text: m.boardVms(b.vms), color: b.vms.registered < b.vms.recorded ? 'yellow' : 'green' },
  ];
  const tail: Line[] = [
    b.failedRoles > 0 ? { text: m.boardRoles({ count: b.failedRoles }), color: 'yellow' } : { text: m.boardRolesNone, color: 'green' },
  ];
  if (b.vms.configMissing > 0) tail.push({ text: m.boardFilesMissing({ count: b.vms.configMissing }), color: 'red' });
  // One line per node when there is room.
  if (lines - out.length - tail.length >= b.nodes.length) {
    for (const n of b.nodes) {
      out.push(
        n.reachable && n.registered !== null
          ? { text: `  ✔ ${m.boardNode({ name: n.name, registered: n.registered, running: n.running ?? 0 })}` }
          : { text: `  ✘ ${m.boardNodeDown({ name: n.name })}`, color: 'red' },
      );
    }
  }
  return [...out, ...tail];
}

/** The preflight situation: mirror, restore point, hosts, stale VMs. */
export function SituationBoard(props: SituationBoardProps) {
  const ui = useUi();
  const lines: Line[] = props.hypervBoard
    ? hypervLines(ui, props.hypervBoard, props.lines)
    : props.situation
      ? boardLines(ui, props.situation, props.now, props.lines)
      : props.boardLines && props.boardLines.length > 0
        ? props.boardLines.map((text) => ({ text }))
        : [{ text: ui.msg.boardNotYet, color: 'gray' }];
  const shown = lines.slice(0, props.lines);
  while (shown.length < props.lines) shown.push({ text: '' });
  return (
    <Box flexDirection="column" width={props.width}>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate-end" {...tint(ui, l.color)}>
          {fitEnd(l.text, props.width)}
        </Text>
      ))}
    </Box>
  );
}
