import { Box, Text } from 'ink';
import type { StepView } from '../types.js';
import type { RunbookKind } from '../../runbook/runbook.js';
import { bar, fit, fitEnd, shortDuration, width as w } from '../text.js';
import { STATE_COLOR, STATE_ICON, stateWord } from '../states.js';
import { tint, useUi, type Ui } from '../theme.js';

export interface StepListProps {
  steps: readonly StepView[];
  width: number;
  lines: number;
  kind?: RunbookKind | undefined;
  /** Index into `steps` of the selection, when the step list has the focus. */
  selected?: number | undefined;
  now: number;
}

/** The step's translated title: a drill's (and its cleanup's) steps have their own names. */
export function stepTitle(ui: Ui, step: Pick<StepView, 'id' | 'title'>, kind?: RunbookKind): string {
  const own = kind === 'drill' || kind === 'drill-cleanup' ? ui.msg.stepTitles[`drill/${step.id}`] : undefined;
  return own || ui.msg.stepTitles[step.id] || step.title;
}

type Row = { kind: 'step'; index: number } | { kind: 'done'; count: number } | { kind: 'more'; count: number };

/**
 * Which rows fit: all steps when they do; otherwise the finished ones fold into one line and
 * the steps after the window into another, keeping the running (or selected) step visible.
 */
export function stepWindow(steps: readonly StepView[], lines: number, selected?: number): Row[] {
  if (steps.length <= lines) return steps.map((_, index) => ({ kind: 'step', index }));
  const active = steps.findIndex((s) => s.state === 'running' || s.state === 'needs-you' || s.state === 'failed');
  const firstOpen = steps.findIndex((s) => s.state !== 'done' && s.state !== 'skipped');
  const anchor = selected ?? (active >= 0 ? active : firstOpen >= 0 ? firstOpen : steps.length - 1);
  let start = Math.min(anchor, firstOpen >= 0 ? firstOpen : anchor);
  const bounds = (from: number) => {
    const avail = Math.max(1, lines - (from > 0 ? 1 : 0));
    const end = from + avail >= steps.length ? steps.length : from + avail - 1;
    return Math.max(from + 1, end);
  };
  let end = bounds(start);
  while (anchor >= end && start < steps.length - 1) {
    start += 1;
    end = bounds(start);
  }
  // Nothing after the window: use the spare lines for the finished steps before it.
  if (end === steps.length) {
    const back = Math.max(0, steps.length - (lines - 1));
    start = Math.min(start, back);
  }
  const rows: Row[] = [];
  if (start > 0) rows.push({ kind: 'done', count: start });
  for (let i = start; i < end; i++) rows.push({ kind: 'step', index: i });
  if (end < steps.length) rows.push({ kind: 'more', count: steps.length - end });
  return rows.slice(0, lines);
}

function rightPart(ui: Ui, s: StepView, now: number, narrow: boolean): string {
  const count = s.total > 0 ? `${s.done}/${s.total}` : '';
  if ((s.state === 'running' || s.state === 'needs-you') && s.total > 0) {
    const eta = s.etaSeconds !== undefined ? ui.msg.etaLeft({ eta: shortDuration(s.etaSeconds * 1000) }) : '';
    return [bar(s.done, s.total, narrow ? 10 : 16), count, eta].filter(Boolean).join(' ');
  }
  const took = s.startedAt !== undefined ? shortDuration((s.finishedAt ?? now) - s.startedAt) : '';
  return [stateWord(ui.common, s.state), count, took].filter(Boolean).join(' ');
}

/** The runbook's steps: icon, title, progress bar n/m and ETA. */
export function StepList(props: StepListProps) {
  const ui = useUi();
  const narrow = props.width < 100;
  const rows = stepWindow(props.steps, props.lines, props.selected);
  return (
    <Box flexDirection="column" width={props.width}>
      {rows.map((r) => {
        if (r.kind !== 'step') {
          const allDone = r.kind === 'done' && props.steps.slice(0, r.count).every((s) => s.state === 'done' || s.state === 'skipped');
          const text = allDone ? `✔ ${ui.msg.stepsDoneCollapsed({ count: r.count })}` : `  ${ui.msg.stepsMore({ count: r.count })}`;
          return (
            <Text key={`${r.kind}`} wrap="truncate-end" {...tint(ui, 'gray')}>
              {fitEnd(text, props.width)}
            </Text>
          );
        }
        const s = props.steps[r.index]!;
        const sel = props.selected === r.index;
        const right = rightPart(ui, s, props.now, narrow);
        const rightCols = Math.min(w(right), Math.max(10, props.width - 24));
        const titleCols = props.width - 4 - rightCols;
        return (
          <Text key={s.id} wrap="truncate-end">
            <Text {...tint(ui, undefined, { inverse: sel })}>{sel ? '›' : ' '}</Text>
            <Text {...tint(ui, STATE_COLOR[s.state], { bold: s.state === 'running' })}>{STATE_ICON[s.state]} </Text>
            <Text {...tint(ui, undefined, { bold: s.state === 'running' || s.state === 'needs-you' })}>
              {fit(stepTitle(ui, s, props.kind), titleCols)}
            </Text>
            <Text> </Text>
            <Text {...tint(ui, STATE_COLOR[s.state])}>{fit(right, rightCols, 'right')}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
