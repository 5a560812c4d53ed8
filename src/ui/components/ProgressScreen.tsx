import { useRef } from 'react';
import { Box, Static, Text } from 'ink';
import type { Finding, ProgressRow, ProgressScreenData } from '../types.js';
import { bar, fit, oneLine, shortDuration, width as w } from '../text.js';
import { STATE_COLOR, STATE_ICON, stateWord } from '../states.js';
import { tint, useKeys, useNow, useSyncState, useTerminalSize, useUi, type Ui } from '../theme.js';
import { Header } from './Header.js';

export interface ProgressScreenProps {
  data: ProgressScreenData;
  onLeave: () => void;
  /** Ctrl+C while working (drill): stop at the next safe point. */
  onInterrupt?: (() => void) | undefined;
  now?: number | undefined;
}

const FINAL = new Set(['done', 'failed', 'skipped']);

function RowLine({ ui, row, width, now }: { ui: Ui; row: ProgressRow; width: number; now: number }) {
  const took = row.startedAt !== undefined ? shortDuration((row.finishedAt ?? now) - row.startedAt) : '';
  const count = row.total > 0 ? `${row.done}/${row.total}` : '';
  const labelCols = Math.min(24, Math.max(8, Math.floor(width * 0.25)));
  const barCols = width >= 100 ? 20 : 10;
  const right = `${fit(count, 11, 'right')} ${fit(took, 7, 'right')}`;
  const activity = FINAL.has(row.state) ? stateWord(ui.common, row.state) : (row.activity ?? stateWord(ui.common, row.state));
  const actCols = Math.max(0, width - 2 - labelCols - 1 - barCols - 1 - w(right) - 1);
  return (
    <Text wrap="truncate-end">
      <Text {...tint(ui, STATE_COLOR[row.state])}>{STATE_ICON[row.state]} </Text>
      <Text>{fit(oneLine(row.label), labelCols)} </Text>
      <Text {...tint(ui, STATE_COLOR[row.state])}>{bar(row.done, row.total, barCols)} </Text>
      <Text>{right} </Text>
      <Text {...tint(ui, 'gray')}>{fit(oneLine(activity), actCols)}</Text>
    </Text>
  );
}

function findingLine(ui: Ui, f: Finding, width: number) {
  const sev = fit(ui.msg.severity[f.severity], 8);
  return fit(`${sev} ${oneLine(f.subject)}: ${oneLine(f.text)}`, width);
}

type StaticItem = { kind: 'row'; row: ProgressRow } | { kind: 'finding'; f: Finding; i: number } | { kind: 'title'; text: string };

/**
 * capture and drill: one row per host with a progress bar; finished hosts move to <Static> (they
 * stay in the scrollback and are never redrawn); the findings are printed at the end.
 */
export function ProgressScreen(props: ProgressScreenProps) {
  const ui = useUi();
  const m = ui.msg;
  const { data } = props;
  const size = useTerminalSize();
  const width = Math.max(40, size.columns);
  const finished = data.finishedAt !== undefined;
  const wall = useNow(props.now === undefined && !finished);
  const now = props.now ?? wall;

  // Static is append-only: remember what was handed to it, in order.
  const sent = useRef<{ ids: Set<string>; items: StaticItem[] }>({ ids: new Set(), items: [] });
  for (const row of data.rows) {
    if (FINAL.has(row.state) && !sent.current.ids.has(row.id)) {
      sent.current.ids.add(row.id);
      sent.current.items.push({ kind: 'row', row });
    }
  }
  if (finished && !sent.current.ids.has('\u0000findings')) {
    sent.current.ids.add('\u0000findings');
    sent.current.items.push({
      kind: 'title',
      text: data.findings.length > 0 ? m.findingsTitle({ count: data.findings.length }) : m.findingsNone,
    });
    data.findings.forEach((f, i) => sent.current.items.push({ kind: 'finding', f, i }));
  }
  const live = data.rows.filter((r) => !FINAL.has(r.state));
  const room = Math.max(1, size.rows - 6);
  const shown = live.slice(0, room);
  const doneCount = data.rows.length - live.length;
  const last = data.log[data.log.length - 1];

  const [interrupted, setInterrupted] = useSyncState(false);
  useKeys((input, key) => {
    if (finished && (input === 'q' || key.return || (key.ctrl && input === 'c'))) return props.onLeave();
    if (!finished && key.ctrl && input === 'c' && props.onInterrupt) {
      setInterrupted(true);
      props.onInterrupt();
    }
  });

  const title = data.kind === 'capture' ? m.titleCapture : m.titleDrill;
  return (
    <>
      <Static items={[...sent.current.items]}>
        {(item, i) =>
          item.kind === 'row' ? (
            <RowLine key={`r${i}`} ui={ui} row={item.row} width={width} now={now} />
          ) : item.kind === 'title' ? (
            <Text key={`t${i}`} {...tint(ui, undefined, { bold: true })}>
              {fit(item.text, width)}
            </Text>
          ) : (
            <Text key={`f${i}`} {...tint(ui, item.f.severity === 'error' ? 'red' : item.f.severity === 'warn' ? 'yellow' : undefined)}>
              {findingLine(ui, item.f, width)}
            </Text>
          )
        }
      </Static>
      <Box flexDirection="column" width={width}>
        <Header
          title={title}
          site={data.site}
          runId={data.runId}
          phase={finished ? m.progressDone : m.progressWorking({ done: doneCount, total: data.rows.length })}
          elapsedMs={(data.finishedAt ?? now) - data.startedAt}
          width={width}
        />
        {shown.map((row) => (
          <RowLine key={row.id} ui={ui} row={row} width={width} now={now} />
        ))}
        {live.length > shown.length ? (
          <Text {...tint(ui, 'gray')}>{fit(`  ${m.stepsMore({ count: live.length - shown.length })}`, width)}</Text>
        ) : null}
        {!finished && last ? (
          <Text wrap="truncate-end" {...tint(ui, 'gray')}>
            {fit(`${oneLine(last.host)}: ${oneLine(last.command)}`, width)}
          </Text>
        ) : null}
        {interrupted && !finished ? (
          <Text wrap="truncate-end" {...tint(ui, 'yellow', { bold: true })}>
            {fit(m.statusPausing, width)}
          </Text>
        ) : null}
        {finished && data.reportPath ? <Text wrap="truncate-end">{fit(m.reportAt({ path: data.reportPath }), width)}</Text> : null}
      </Box>
    </>
  );
}
