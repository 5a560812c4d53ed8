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
  // One block per command: what ran where and how it ended, the command, then its output.
  const blocks: { top: Line[]; output: Line[] }[] = [];
  for (const c of props.commands) {
    const top: Line[] = [{ text: '' }];
    const when = timeOfDay(c.startedAt);
    top.push({
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
    for (const l of wrap(`$ ${oneLine(c.command)}`, inner)) top.push({ text: l, bold: true });
    if (c.error) for (const l of wrap(oneLine(c.error), inner)) top.push({ text: l, color: 'red' });
    const output: Line[] = [];
    const out = (c.output ?? '').trimEnd();
    if (out) {
      top.push({ text: m.detailOutput, color: 'gray' });
      for (const raw of cleanLines(out)) for (const l of wrap(raw, inner - 2)) output.push({ text: `  ${l}` });
    } else if (c.exitCode !== undefined) top.push({ text: m.detailNoOutput, color: 'gray' });
    blocks.push({ top, output });
  }
  const footer: Line = { text: m.detailClose, color: 'gray' };
  const room = Math.max(0, props.lines - head.length - 1);
  // The newest commands matter most. Whole blocks, newest last; the newest one always shows its
  // command and timing, its output cut from the top (the device's last words stay) when it is long.
  let shownBody: Line[] = [];
  if (blocks.length === 0) shownBody = [{ text: m.detailNoCommand, color: 'gray' }];
  for (let i = blocks.length - 1; i >= 0; i--) {
    const b = blocks[i]!;
    const size = b.top.length + b.output.length;
    if (shownBody.length + size <= room) {
      shownBody = [...b.top, ...b.output, ...shownBody];
      continue;
    }
    if (i === blocks.length - 1) {
      const keep = Math.max(0, room - b.top.length - 1);
      const cut = b.output.length - keep;
      shownBody = [...b.top, { text: `  ${m.detailEarlierLines({ count: cut })}`, color: 'gray' }, ...b.output.slice(cut)].slice(0, room);
    }
    break;
  }
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
