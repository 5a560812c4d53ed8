import { Box, Text } from 'ink';
import type { CommandView, StepState } from '../types.js';
import { cleanLines, fit, oneLine, shortDuration, timeOfDay, wrap } from '../text.js';
import { stateWord } from '../states.js';
import { tint, useUi } from '../theme.js';

export interface DetailPanelProps {
  title: string;
  state: StepState;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  note?: string | undefined;
  commands: readonly CommandView[];
  width: number;
  lines: number;
  now: number;
}

interface Line {
  text: string;
  color?: string | undefined;
  bold?: boolean;
}

/** The full command, output and timing of the selected VM or step, newest command last. */
export function DetailPanel(props: DetailPanelProps) {
  const ui = useUi();
  const m = ui.msg;
  const inner = props.width - 2;
  const head: Line[] = [
    { text: props.title, bold: true },
    {
      text: m.detailState({
        state: stateWord(ui.common, props.state),
        duration: props.startedAt !== undefined ? shortDuration((props.finishedAt ?? props.now) - props.startedAt) : '-',
      }),
    },
  ];
  if (props.note) for (const l of wrap(oneLine(props.note), inner)) head.push({ text: l, color: 'yellow' });
  const body: Line[] = [];
  if (props.commands.length === 0) body.push({ text: m.detailNoCommand, color: 'gray' });
  for (const c of props.commands) {
    body.push({ text: '' });
    const when = timeOfDay(c.startedAt);
    body.push({
      text:
        c.exitCode === undefined
          ? m.detailCommandRunning({ host: c.host, started: when })
          : m.detailCommand({
              host: c.host,
              started: when,
              duration: shortDuration(c.durationMs ?? 0),
              result: m.logExit({ code: c.exitCode === null ? '-' : String(c.exitCode) }),
            }),
      color: c.exitCode === undefined ? 'cyan' : c.exitCode === 0 && !c.error ? 'green' : 'red',
    });
    for (const l of wrap(`$ ${oneLine(c.command)}`, inner)) body.push({ text: l, bold: true });
    if (c.error) for (const l of wrap(oneLine(c.error), inner)) body.push({ text: l, color: 'red' });
    const out = (c.output ?? '').trimEnd();
    if (out) {
      body.push({ text: m.detailOutput, color: 'gray' });
      for (const raw of cleanLines(out)) for (const l of wrap(raw, inner - 2)) body.push({ text: `  ${l}` });
    } else if (c.exitCode !== undefined) body.push({ text: m.detailNoOutput, color: 'gray' });
  }
  const footer: Line = { text: m.detailClose, color: 'gray' };
  const room = Math.max(0, props.lines - head.length - 1);
  // The newest lines matter most: what the device said last.
  const shownBody = body.length > room ? body.slice(body.length - room) : body;
  const all = [...head, ...shownBody];
  while (all.length < props.lines - 1) all.push({ text: '' });
  all.push(footer);
  return (
    <Box flexDirection="column" width={props.width}>
      {all.slice(0, props.lines).map((l, i) => (
        <Text key={i} wrap="truncate-end" {...tint(ui, l.color, { bold: l.bold ?? false })}>
          {fit(` ${l.text}`, props.width)}
        </Text>
      ))}
    </Box>
  );
}
