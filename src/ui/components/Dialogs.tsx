import { Box, Text } from 'ink';
import type { ChecklistDialog, ChoiceDialog, Dialog, TypedConfirmDialog } from '../types.js';
import { fit, oneLine, width as textWidth, wrapWords } from '../text.js';
import { tint, useKeys, useSyncState, useUi, type Ui } from '../theme.js';

interface Line {
  text: string;
  color?: string | undefined;
  bold?: boolean | undefined;
  inverse?: boolean | undefined;
  /** A list item's mark ("› [x] "): the text wraps in the column after it. */
  mark?: string | undefined;
}

interface FrameProps {
  width: number;
  lines: number;
  title: string;
  /** The question's own lines; they scroll (PgUp/PgDn) when the terminal is short. */
  body: Line[];
  answer: Line[];
  color: string;
  /** False while another overlay has the keyboard. */
  active: boolean;
  /** ↑↓ scroll too (the typed confirmation, where they move nothing else). */
  arrowsScroll?: boolean | undefined;
}

/**
 * What of a dialog shows in `lines`: all of it when it fits; else the answer part stays at the
 * bottom and the question's lines scroll above it, with a line that says more is above or below;
 * on a terminal too short even for that, everything scrolls as one. Nothing is ever cut away.
 */
export function dialogWindow(
  ui: Ui,
  p: { title: Line[]; body: Line[]; answer: Line[]; lines: number },
  scroll: number,
): { shown: Line[]; maxScroll: number } {
  const full: Line[] = [...p.title, ...p.body, { text: '' }, ...p.answer];
  if (full.length <= p.lines) return { shown: full, maxScroll: 0 };
  const marker = (above: number, below: number): Line => ({ text: ui.msg.dialogMore({ above, below }), color: 'cyan', bold: true });
  // The answer pinned: title, body window, a marker line, the answer.
  const room = p.lines - p.title.length - 1 - p.answer.length;
  if (room >= 3) {
    const maxScroll = p.body.length - room;
    const top = Math.min(scroll, maxScroll);
    const below = p.body.length - top - room;
    return { shown: [...p.title, ...p.body.slice(top, top + room), marker(top, below), ...p.answer], maxScroll };
  }
  // Too short: the whole dialog scrolls, its last line says what is above or below.
  const rows = p.lines - 1;
  const maxScroll = full.length - rows;
  const top = Math.min(scroll, maxScroll);
  return { shown: [...full.slice(top, top + rows), marker(top, full.length - top - rows)], maxScroll };
}

/** Each line wrapped at word boundaries to `cols`; continuation lines keep the line's colour. */
export function wrapLines(lines: readonly Line[], cols: number): Line[] {
  const out: Line[] = [];
  for (const l of lines) {
    const mark = l.mark ?? '';
    const markCols = textWidth(mark);
    const pieces = wrapWords(l.text, Math.max(10, cols - markCols));
    pieces.forEach((t, i) => out.push({ ...l, mark: undefined, text: (i === 0 ? mark : ' '.repeat(markCols)) + t }));
  }
  return out;
}

/** A dialog fills the middle of the screen: title, the engine's lines, then what to type or pick. */
function DialogFrame(p: FrameProps) {
  const ui = useUi();
  const inner = p.width - 2;
  const title = wrapLines([{ text: p.title, color: p.color, bold: true }], inner);
  const body = wrapLines(p.body, inner);
  const answer = wrapLines(p.answer, inner);
  const [scroll, setScroll] = useSyncState(0);
  const { shown, maxScroll } = dialogWindow(ui, { title, body, answer, lines: p.lines }, scroll);
  const page = Math.max(1, p.lines - answer.length - title.length - 2);
  useKeys(
    (_input, key) => {
      const by = key.pageDown ? page : key.pageUp ? -page : p.arrowsScroll && key.downArrow ? 1 : p.arrowsScroll && key.upArrow ? -1 : 0;
      if (by !== 0) setScroll((s) => Math.max(0, Math.min(maxScroll, Math.min(s, maxScroll) + by)));
    },
    { isActive: p.active && maxScroll > 0 },
  );
  const all = shown.slice();
  while (all.length < p.lines) all.push({ text: '' });
  return (
    <Box flexDirection="column" width={p.width}>
      {all.slice(0, p.lines).map((l, i) => (
        <Text key={i} wrap="truncate-end" {...tint(ui, l.color, { bold: l.bold ?? false, inverse: l.inverse ?? false })}>
          {fit(` ${l.text}`, p.width)}
        </Text>
      ))}
    </Box>
  );
}

function printable(input: string): string {
  // Keep what the operator typed or pasted, never control characters or escape sequences.
  return oneLine(input).replace(/ ⏎ /g, '');
}

export interface DialogProps<D> {
  dialog: D;
  width: number;
  lines: number;
  onAnswer: (answer: boolean | string) => void;
  /** False while another overlay (quit question) has the keyboard. */
  active: boolean;
}

/** Type the expected text exactly to confirm; Esc refuses. */
export function TypedConfirm({ dialog, width, lines, onAnswer, active }: DialogProps<TypedConfirmDialog>) {
  const ui = useUi();
  const m = ui.msg;
  const [typed, setTyped, typedRef] = useSyncState('');
  const [wrong, setWrong] = useSyncState(false);
  const [refusing, setRefusing, refusingRef] = useSyncState(false);
  useKeys(
    (input, key) => {
      // Esc stops the run: ask first, a stray Esc must not end a failover.
      if (refusingRef.current) {
        if (input === 'y' || input === 'Y') return onAnswer(false);
        if (input === 'n' || input === 'N' || key.escape) setRefusing(false);
        return;
      }
      if (key.escape) return setRefusing(true);
      if (key.ctrl && input === 'u') {
        setTyped('');
        setWrong(false);
        return;
      }
      // Over a slow link, text and Enter can arrive in one chunk: "svm2:vol\r".
      const enter = key.return || /[\r\n]/.test(input);
      if (enter) {
        const text = key.return ? typedRef.current : typedRef.current + printable(input.split(/[\r\n]/)[0] ?? '');
        if (text === dialog.expect) return onAnswer(true);
        setTyped(text);
        setWrong(true);
        return;
      }
      if (key.backspace || key.delete) {
        setTyped((t) => Array.from(t).slice(0, -1).join(''));
        setWrong(false);
        return;
      }
      if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return;
      const add = printable(input);
      if (add) {
        setTyped((t) => t + add);
        setWrong(false);
      }
    },
    { isActive: active },
  );
  const answer: Line[] = [
    { text: m.typedInstruction({ expect: dialog.expect }), bold: true },
    { text: `${m.typedYouTyped} ${typed}|`, color: 'cyan' },
    refusing ? { text: m.refuseAsk, color: 'yellow', bold: true } : wrong ? { text: m.typedWrong, color: 'red', bold: true } : { text: '' },
    { text: m.typedKeys, color: 'gray' },
  ];
  return (
    <DialogFrame
      width={width}
      lines={lines}
      title={dialog.title}
      body={dialog.lines.map((text) => ({ text: oneLine(text) }))}
      answer={answer}
      color="yellow"
      active={active}
      arrowsScroll
    />
  );
}

/** The manual steps (vCenter restore): tick each with Space, Enter when all are ticked. */
export function Checklist({ dialog, width, lines, onAnswer, active }: DialogProps<ChecklistDialog>) {
  const ui = useUi();
  const m = ui.msg;
  const [ticked, setTicked, tickedRef] = useSyncState<readonly boolean[]>(() => dialog.items.map(() => false));
  const [cursor, setCursor, cursorRef] = useSyncState(0);
  const [nag, setNag] = useSyncState(false);
  const [refusing, setRefusing, refusingRef] = useSyncState(false);
  const left = ticked.filter((t) => !t).length;
  useKeys(
    (input, key) => {
      if (refusingRef.current) {
        if (input === 'y' || input === 'Y') return onAnswer(false);
        if (input === 'n' || input === 'N' || key.escape) setRefusing(false);
        return;
      }
      if (key.escape) return setRefusing(true);
      if (key.upArrow) return setCursor((c) => Math.max(0, c - 1));
      if (key.downArrow) return setCursor((c) => Math.min(dialog.items.length - 1, c + 1));
      if (input === ' ') {
        setTicked((t) => t.map((v, i) => (i === cursorRef.current ? !v : v)));
        setNag(false);
        return;
      }
      if (key.return) {
        if (tickedRef.current.every(Boolean)) return onAnswer(true);
        setNag(true);
      }
    },
    { isActive: active },
  );
  const answer: Line[] = dialog.items.map((item, i) => ({
    mark: `${i === cursor ? '›' : ' '} [${ticked[i] ? 'x' : ' '}] `,
    text: oneLine(item),
    color: ticked[i] ? 'green' : undefined,
    bold: i === cursor,
  }));
  answer.push(
    refusing
      ? { text: m.refuseAsk, color: 'yellow', bold: true }
      : nag
        ? { text: m.checklistNotAll({ left }), color: 'red', bold: true }
        : { text: '' },
  );
  answer.push({ text: m.checklistKeys, color: 'gray' });
  return <DialogFrame width={width} lines={lines} title={dialog.title} body={[]} answer={answer} color="magenta" active={active} />;
}

/** The error panel's retry/skip/abort in the operator's language; other questions keep the engine's own labels. */
function optionLabel(ui: Ui, o: { key: string; label: string }, isError: boolean): string {
  return (isError ? ui.msg.optionLabels[o.key] : undefined) ?? (o.label || o.key);
}

/**
 * The title of a dialog in the operator's language: the engine's error-panel title is English
 * ("<step>: <vm> failed"), so with failure details the panel says it in its own words.
 */
export function dialogTitle(ui: Ui, dialog: Dialog): string {
  if (dialog.kind === 'choose' && dialog.failure) {
    const who = dialog.failure.vm ?? dialog.failure.host;
    return who ? ui.msg.errorTitleFor({ target: oneLine(who) }) : ui.msg.errorTitle;
  }
  if (dialog.kind === 'choose' && !dialog.title && dialog.options.some((o) => o.key === 'retry' || o.key === 'abort'))
    return ui.msg.errorTitle;
  return dialog.title;
}

/**
 * One choice among the engine's options. With retry/skip/abort on offer it is the error panel:
 * it names the VM, the host, the command and what the device said.
 */
export function Choice({ dialog, width, lines, onAnswer, active }: DialogProps<ChoiceDialog>) {
  const ui = useUi();
  const m = ui.msg;
  const initial = Math.max(
    0,
    dialog.options.findIndex((o) => o.key === dialog.default),
  );
  const [cursor, setCursor, cursorRef] = useSyncState(initial);
  useKeys(
    (input, key) => {
      if (key.upArrow) return setCursor((c) => Math.max(0, c - 1));
      if (key.downArrow) return setCursor((c) => Math.min(dialog.options.length - 1, c + 1));
      if (key.return) {
        const o = dialog.options[cursorRef.current];
        if (o) onAnswer(o.key);
        return;
      }
      // A digit picks an option directly (1-based), handy over laggy SSH.
      const n = Number.parseInt(input, 10);
      if (n >= 1 && n <= dialog.options.length) setCursor(n - 1);
    },
    { isActive: active },
  );
  const isError = dialog.failure !== undefined || dialog.options.some((o) => o.key === 'retry' || o.key === 'abort');
  const body: Line[] = [];
  const f = dialog.failure;
  if (f?.vm) body.push({ text: m.errorVm({ vm: oneLine(f.vm) }) });
  if (f?.host) body.push({ text: m.errorHost({ host: oneLine(f.host) }) });
  if (f?.command) body.push({ text: m.errorCommand({ command: oneLine(f.command) }) });
  if (f?.message) body.push({ text: m.errorMessage({ message: oneLine(f.message) }), color: 'red' });
  // The engine's own lines say the same as the failure details: show them only without details.
  if (!f) for (const l of dialog.lines) body.push({ text: oneLine(l) });
  const answer: Line[] = dialog.options.map((o, i) => ({
    mark: `${i === cursor ? '›' : ' '} ${i + 1}. `,
    text: optionLabel(ui, o, isError),
    bold: i === cursor,
    color: i === cursor ? 'cyan' : undefined,
  }));
  answer.push({ text: m.choiceKeys, color: 'gray' });
  return (
    <DialogFrame
      width={width}
      lines={lines}
      title={dialogTitle(ui, dialog)}
      body={body}
      answer={answer}
      color={isError ? 'red' : 'yellow'}
      active={active}
    />
  );
}
