import { Box, Text } from 'ink';
import type { CommandView, StepState } from '../types.js';
import { cleanLines, fit, oneLine, shortDuration, timeOfDay, wrap } from '../text.js';
import { stateWord } from '../states.js';
import { tint, useUi, type Ui } from '../theme.js';

export interface DetailContent {
  title: string;
  state: StepState;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  note?: string | undefined;
  /** Every command of the VM or step, oldest first. */
  commands: readonly CommandView[];
}

export interface DetailLine {
  text: string;
  color?: string | undefined;
  bold?: boolean;
  /** The command block the line belongs to, and whether it says which command that is (where,
   *  when, how it ended, the command line): those stay on top while its output scrolls by. */
  block?: number | undefined;
  sticky?: boolean | undefined;
}

/**
 * The whole detail text: a head (title, state, note) that always shows, and a body with one block
 * per command (where and when it ran, how it ended, the command, its output). Pure, so the screen
 * can clamp its scrolling to the body's length.
 */
export function detailLines(ui: Ui, c: DetailContent, width: number, now: number): { head: DetailLine[]; body: DetailLine[] } {
  const m = ui.msg;
  const inner = width - 2;
  const head: DetailLine[] = [
    { text: c.title, bold: true },
    {
      text: m.detailState({
        state: stateWord(ui.common, c.state),
        duration: c.startedAt !== undefined ? shortDuration((c.finishedAt ?? now) - c.startedAt) : '-',
      }),
    },
  ];
  if (c.note) for (const l of wrap(oneLine(c.note), inner)) head.push({ text: l, color: 'yellow' });
  const body: DetailLine[] = [];
  c.commands.forEach((cmd, block) => {
    body.push({ text: '' });
    const when = timeOfDay(cmd.startedAt);
    const first = body.length;
    body.push({
      text:
        cmd.exitCode === undefined
          ? m.detailCommandRunning({ host: cmd.host, started: when })
          : m.detailCommand({
              host: cmd.host,
              started: when,
              duration: shortDuration(cmd.durationMs ?? 0),
              result: m.logExit({ code: cmd.exitCode === null ? '-' : String(cmd.exitCode) }),
            }),
      color: cmd.exitCode === undefined ? 'cyan' : cmd.exitCode === 0 && !cmd.error ? 'green' : 'red',
    });
    for (const l of wrap(`$ ${oneLine(cmd.command)}`, inner)) body.push({ text: l, bold: true });
    for (let i = first; i < body.length; i++) body[i] = { ...body[i]!, sticky: true };
    if (cmd.error) for (const l of wrap(oneLine(cmd.error), inner)) body.push({ text: l, color: 'red' });
    const out = (cmd.output ?? '').trimEnd();
    if (out) {
      body.push({ text: m.detailOutput, color: 'gray' });
      for (const raw of cleanLines(out)) for (const l of wrap(raw, inner - 2)) body.push({ text: `  ${l}` });
    } else if (cmd.exitCode !== undefined) body.push({ text: m.detailNoOutput, color: 'gray' });
    for (let i = first; i < body.length; i++) body[i] = { ...body[i]!, block };
  });
  if (c.commands.length === 0) body.push({ text: m.detailNoCommand, color: 'gray' });
  return { head, body };
}

/** Lines of the body that fit under the head and above the footer. */
export function detailRoom(head: readonly DetailLine[], lines: number): number {
  return Math.max(1, lines - head.length - 1);
}

/** How far the body can scroll up from its newest line. */
export function detailMaxScroll(head: readonly DetailLine[], body: readonly DetailLine[], lines: number): number {
  return Math.max(0, body.length - detailRoom(head, lines));
}

export interface DetailPanelProps {
  head: readonly DetailLine[];
  body: readonly DetailLine[];
  /** Lines scrolled up from the newest (0: the newest command's last lines show). */
  scroll: number;
  width: number;
  lines: number;
}

/** The full command, output and timing of the selected VM or step, newest command last; scrolls. */
export function DetailPanel(props: DetailPanelProps) {
  const ui = useUi();
  const m = ui.msg;
  const room = detailRoom(props.head, props.lines);
  const scroll = Math.min(props.scroll, detailMaxScroll(props.head, props.body, props.lines));
  const body = props.body;
  const end = body.length - scroll;
  let start = Math.max(0, end - room);
  let shown = body.slice(start, end);
  // Mid-way through a command's output: its command and timing stay on top, then what is cut.
  const block = body[start]?.block;
  if (block !== undefined) {
    const sticky = body.slice(0, start).filter((l) => l.block === block && l.sticky);
    let lastSticky = start - 1;
    while (lastSticky >= 0 && !(body[lastSticky]!.block === block && body[lastSticky]!.sticky)) lastSticky--;
    if (sticky.length > 0 && room - sticky.length - 1 >= 1) {
      start = Math.max(lastSticky + 1, end - (room - sticky.length - 1));
      const cut = start - lastSticky - 1;
      shown = [
        ...sticky,
        ...(cut > 0 ? [{ text: `  ${m.detailEarlierLines({ count: cut })}`, color: 'gray' }] : []),
        ...body.slice(start, end),
      ];
    }
  }
  const all = [...props.head, ...shown];
  while (all.length < props.lines - 1) all.push({ text: '' });
  // The footer says there is more above or below, and how to get there.
  all.push({ text: start > 0 || scroll > 0 ? m.detailScroll({ above: start, below: scroll }) : m.detailClose, color: 'gray' });
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
