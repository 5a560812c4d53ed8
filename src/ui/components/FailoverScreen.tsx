import { useMemo, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { Dialog, DialogAnswer, FailoverScreenData, StepView, VmView } from '../types.js';
import { failoverLayout } from '../layout.js';
import { fit, oneLine, width as textWidth, wrapWords } from '../text.js';
import { tint, useKeys, useNow, useSyncState, useTerminalSize, useUi, type Ui } from '../theme.js';
import { Header } from './Header.js';
import { SituationBoard } from './SituationBoard.js';
import { StepList, stepTitle } from './StepList.js';
import { VmTable, vmMatches, vmRowLines } from './VmTable.js';
import { CommandLog } from './CommandLog.js';
import { DetailPanel } from './DetailPanel.js';
import { HelpOverlay } from './HelpOverlay.js';
import { Checklist, Choice, dialogTitle, TypedConfirm } from './Dialogs.js';

export interface FailoverScreenProps {
  data: FailoverScreenData;
  /** The question the engine is waiting on, if any. */
  dialog?: Dialog | undefined;
  onAnswer: (promptId: string, answer: DialogAnswer) => void;
  /** `p` or Ctrl+C: stop at the next safe point (never mid-command). */
  onPause: (how: 'key' | 'ctrl-c') => void;
  /** `q`, confirmed: stop at the next safe point and leave. */
  onQuit: () => void;
  /** The run is over and the operator leaves the screen. */
  onLeave: () => void;
  /** Fixed clock for tests and previews; default: the wall clock. */
  now?: number | undefined;
}

type Overlay = { kind: 'help' } | { kind: 'detail-vm'; index: number; stepId: string | undefined } | { kind: 'detail-step'; index: number } | undefined;

const FINAL = new Set(['done', 'failed', 'stopped', 'paused']);

function phaseWord(ui: Ui, phase: FailoverScreenData['phase']): string {
  const m = ui.msg;
  return { preflight: m.phasePreflight, running: m.phaseRunning, paused: m.phasePaused, done: m.phaseDone, failed: m.phaseFailed, stopped: m.phaseStopped }[phase];
}

/** Hosts where drbook exited lockdown and has not re-entered it: said on screen whenever it stops. */
export function hostsOutOfLockdown(data: FailoverScreenData): string[] {
  return (data.situation?.hosts ?? []).filter((h) => h.lockdown === 'exited').map((h) => h.name);
}

function currentStep(steps: readonly StepView[]): StepView | undefined {
  return steps.find((s) => s.state === 'needs-you') ?? steps.find((s) => s.state === 'running');
}

/** The whole failover screen. Owns only view state (selection, filter, overlays). */
export function FailoverScreen(props: FailoverScreenProps) {
  const ui = useUi();
  const m = ui.msg;
  const { data, dialog } = props;
  const size = useTerminalSize();
  const final = FINAL.has(data.phase);
  const wallNow = useNow(props.now === undefined && !final);
  const now = props.now ?? (final && data.finishedAt ? data.finishedAt : wallNow);
  const L = failoverLayout(size.columns, size.rows, data.steps.length);

  const [focus, setFocus, focusRef] = useSyncState<'vms' | 'steps'>('vms');
  const [cursor, setCursor, cursorRef] = useSyncState({ sel: 0, top: 0 });
  const [stepSel, setStepSel, stepSelRef] = useSyncState(0);
  const [filter, setFilter, filterRef] = useSyncState('');
  const [filtering, setFiltering, filteringRef] = useSyncState(false);
  const [overlay, setOverlay, overlayRef] = useSyncState<Overlay>(undefined);
  const [quitAsk, setQuitAsk, quitAskRef] = useSyncState(false);
  const [pauseAsked, setPauseAsked] = useSyncState<'key' | 'ctrl-c' | undefined>(undefined);

  // With the step list focused, the table shows the selected step's targets.
  const selectedStepId = focus === 'steps' ? data.steps[stepSel]?.id : undefined;
  const vms = selectedStepId && data.vmsOf ? data.vmsOf(selectedStepId) : data.vms;

  // The one O(n) pass: only when the rows or the filter text change, never on a scroll key.
  const matches = useMemo(() => {
    if (!filter) return undefined;
    const out: number[] = [];
    for (let i = 0; i < vms.size; i++) {
      const vm = vms.get(i);
      if (vm && vmMatches(ui, vm, filter)) out.push(i);
    }
    return out;
  }, [vms, filter, ui.lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const shown = matches ? matches.length : vms.size;
  // ---- the notice that replaces the log once the run stops or Ctrl+C was pressed ----
  // Most important first: a host left out of lockdown, then how the VMs ended, what went wrong,
  // how to resume, where the report is.
  const notice: { text: string; color?: string }[] = [];
  const out = hostsOutOfLockdown(data);
  const stoppedHere = pauseAsked === 'ctrl-c' || data.phase === 'paused' || data.phase === 'stopped' || data.phase === 'failed';
  if (out.length > 0 && (stoppedHere || final)) notice.push({ text: ui.common.lockdownStillOff({ hosts: out.join(', ') }), color: 'red' });
  if (final && data.result) {
    const r = data.result;
    const clean = r.failed === 0 && r.notReached === 0;
    notice.push(
      r.total === 0
        ? { text: m.resultNone({ step: stepTitle(ui, { id: r.stepId, title: r.title }, data.runbook) }), color: 'yellow' }
        : { text: m.resultLine(r), color: clean ? 'green' : 'yellow' },
    );
  }
  if (data.error) notice.push({ text: oneLine(data.error), color: 'red' });
  if (stoppedHere && (data.phase !== 'failed' || data.runId)) notice.push({ text: ui.common.resumeHint({ runId: data.runId, command: data.resumeCommand }), color: 'yellow' });
  if (data.reportPath) notice.push({ text: m.reportAt({ path: data.reportPath }) });
  const noticeLines = notice.flatMap((n) => wrapWords(n.text, L.width).map((text) => ({ ...n, text })));
  // The notice takes the log's lines, and lines of the table when it needs more (at most 6).
  const noticeExtra = L.wide ? 0 : Math.min(Math.max(0, noticeLines.length - (L.log.lines + 1)), Math.max(0, L.vms.lines - 4), 6);

  const rowLines = vmRowLines(L.vms.lines - noticeExtra);
  const clampCursor = (c: { sel: number; top: number }) => {
    const sel = Math.max(0, Math.min(c.sel, shown - 1));
    let top = Math.max(0, Math.min(c.top, Math.max(0, shown - rowLines)));
    if (sel < top) top = sel;
    if (sel >= top + rowLines) top = sel - rowLines + 1;
    return { sel, top };
  };
  const { sel, top: topFollowing } = clampCursor(cursor);

  const moveVm = (delta: number) => setCursor((c) => clampCursor({ sel: clampCursor(c).sel + delta, top: c.top }));

  const pause = (how: 'key' | 'ctrl-c') => {
    setPauseAsked(how);
    // Close overlays so the resume hint and the lockdown warning are in view.
    setOverlay(undefined);
    setFiltering(false);
    setQuitAsk(false);
    props.onPause(how);
  };

  useKeys((input, key) => {
    if (key.ctrl && input === 'c') {
      if (final) return props.onLeave();
      return pause('ctrl-c');
    }
    if (dialog && !final) return; // the dialog has the keyboard
    if (quitAskRef.current) {
      if (input === 'y' || input === 'Y') {
        setQuitAsk(false);
        setPauseAsked('key');
        props.onQuit();
      } else if (input === 'n' || input === 'N' || key.escape) setQuitAsk(false);
      return;
    }
    if (filteringRef.current) {
      if (key.escape) {
        setFilter('');
        setFiltering(false);
      } else if (key.return) setFiltering(false);
      else if (key.backspace || key.delete) setFilter((f) => Array.from(f).slice(0, -1).join(''));
      else if (!key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.tab) {
        const add = oneLine(input);
        if (add) setFilter((f) => f + add);
      }
      setCursor({ sel: 0, top: 0 });
      return;
    }
    if (overlayRef.current) {
      if (key.escape || key.return || input === 'q' || (input === '?' && overlayRef.current.kind === 'help')) setOverlay(undefined);
      return;
    }
    if (input === '?') return setOverlay({ kind: 'help' });
    if (input === 'q') {
      if (final) return props.onLeave();
      return setQuitAsk(true);
    }
    if (key.return && final && focusRef.current === 'vms' && shown === 0) return props.onLeave();
    if (input === 'p') return final ? undefined : pause('key');
    if (input === '/') {
      setFiltering(true);
      setFocus('vms');
      return;
    }
    if (key.escape && filterRef.current) return setFilter('');
    if (key.tab) return setFocus((f) => (f === 'vms' ? 'steps' : 'vms'));
    if (key.return) {
      if (focusRef.current === 'steps') {
        if (data.steps[stepSelRef.current]) setOverlay({ kind: 'detail-step', index: stepSelRef.current });
      } else if (shown > 0) {
        const at = clampCursor(cursorRef.current).sel;
        setOverlay({ kind: 'detail-vm', index: matches ? matches[at]! : at, stepId: selectedStepId ?? data.tableStepId });
      }
      return;
    }
    const page = Math.max(1, rowLines - 1);
    if (focusRef.current === 'steps') {
      if (key.upArrow || key.downArrow) {
        setStepSel((s) => Math.max(0, Math.min(data.steps.length - 1, s + (key.upArrow ? -1 : 1))));
        setCursor({ sel: 0, top: 0 });
      }
      return;
    }
    if (key.upArrow) moveVm(-1);
    else if (key.downArrow) moveVm(1);
    else if (key.pageUp) moveVm(-page);
    else if (key.pageDown) moveVm(page);
    else if (key.home) moveVm(-shown);
    else if (key.end) moveVm(shown);
  });

  // ---- status line: what drbook does or waits for ----
  const step = currentStep(data.steps);
  let status: { text: string; color?: string } = { text: m.statusPreparing };
  if (quitAsk) status = { text: m.quitAsk, color: 'yellow' };
  else if (filtering) status = { text: m.statusFiltering, color: 'cyan' };
  else if (dialog && !final) {
    // The dialog's title is right above: when it does not fit here, say it without the title.
    const full = m.statusWaitingYou({ title: oneLine(dialogTitle(ui, dialog)) });
    status = { text: textWidth(full) <= L.width ? full : m.statusWaitingYouShort, color: 'magenta' };
  } else if (data.phase === 'done') status = { text: m.statusDone, color: 'green' };
  else if (data.phase === 'failed') status = { text: m.statusFailed, color: 'red' };
  else if (data.phase === 'stopped' || data.phase === 'paused') status = { text: m.statusStopped, color: 'yellow' };
  else if (pauseAsked === 'ctrl-c') status = { text: m.ctrlCPausing, color: 'yellow' };
  else if (pauseAsked) status = { text: m.statusPausing, color: 'yellow' };
  else if (step)
    status = {
      text: step.total > 0 ? m.statusRunning({ step: stepTitle(ui, step, data.runbook), done: step.done, total: step.total }) : m.statusRunningNoCount({ step: stepTitle(ui, step, data.runbook) }),
      color: 'cyan',
    };
  const keys = dialog && !final ? m.keysDialog : final ? m.keysDone : L.width < 100 ? m.keysNarrow : m.keysMain;

  // ---- middle of the screen ----
  // Re-read the VM on every update so its details stay live.
  const detailVm =
    overlay?.kind === 'detail-vm'
      ? (overlay.stepId && data.vmsOf ? data.vmsOf(overlay.stepId) : data.vms).get(overlay.index)
      : undefined;
  let middle: ReactNode;
  if (dialog && !final) {
    const common = { width: L.width, lines: L.middle, onAnswer: (a: DialogAnswer) => props.onAnswer(dialog.promptId, a), active: !quitAsk };
    middle =
      dialog.kind === 'typed' ? (
        <TypedConfirm key={dialog.promptId} dialog={dialog} {...common} />
      ) : dialog.kind === 'checklist' ? (
        <Checklist key={dialog.promptId} dialog={dialog} {...common} />
      ) : (
        <Choice key={dialog.promptId} dialog={dialog} {...common} />
      );
  } else if (overlay?.kind === 'help') {
    middle = <HelpOverlay width={L.width} lines={L.middle} />;
  } else if (detailVm) {
    const vm: VmView = detailVm;
    middle = (
      <DetailPanel
        title={m.detailVmTitle({ name: oneLine(vm.name), host: oneLine(vm.host) })}
        state={vm.state}
        startedAt={vm.startedAt}
        finishedAt={vm.finishedAt}
        note={vm.error ?? vm.note}
        commands={vm.commands ?? []}
        width={L.width}
        lines={L.middle}
        now={now}
      />
    );
  } else if (overlay?.kind === 'detail-step' && data.steps[overlay.index]) {
    const s = data.steps[overlay.index]!;
    middle = (
      <DetailPanel
        title={m.detailStepTitle({ title: stepTitle(ui, s, data.runbook) })}
        state={s.state}
        startedAt={s.startedAt}
        finishedAt={s.finishedAt}
        note={s.note}
        commands={s.commands ?? []}
        width={L.width}
        lines={L.middle}
        now={now}
      />
    );
  } else {
    const board = <SituationBoard situation={data.situation} width={L.board.width} lines={L.board.lines} now={now} />;
    const steps = (
      <StepList runbook={data.runbook} steps={data.steps} width={L.steps.width} lines={L.steps.lines} selected={focus === 'steps' ? stepSel : undefined} now={now} />
    );
    const table = (
      <VmTable
        vms={vms}
        matches={matches}
        top={topFollowing}
        selected={sel}
        focused={focus === 'vms'}
        filter={filter}
        filtering={filtering}
        width={L.vms.width}
        lines={L.vms.lines - noticeExtra}
        now={now}
      />
    );
    const logLines = L.log.lines;
    const bottom =
      noticeLines.length > 0 ? (
        <Box flexDirection="column" width={L.width} height={logLines + 1 + noticeExtra}>
          {noticeLines.slice(0, logLines + 1 + noticeExtra).map((n, i) => (
            <Text key={i} wrap="truncate-end" {...tint(ui, n.color, { bold: true })}>
              {fit(n.text, L.width)}
            </Text>
          ))}
        </Box>
      ) : (
        <CommandLog log={data.log} width={L.log.width} lines={logLines} />
      );
    middle = L.wide ? (
      <Box flexDirection="column" height={L.middle}>
        <Box flexDirection="row" height={L.vms.lines - noticeExtra}>
          <Box flexDirection="column" width={L.left}>
            <Text {...tint(ui, undefined, { bold: true })}>{fit(m.boardTitle, L.left)}</Text>
            {board}
            <Text {...tint(ui, focus === 'steps' ? 'cyan' : undefined, { bold: true })}>{fit(m.stepsTitle, L.left)}</Text>
            {steps}
          </Box>
          <Box width={1} />
          {table}
        </Box>
        {bottom}
      </Box>
    ) : (
      <Box flexDirection="column" height={L.middle}>
        {board}
        {steps}
        {table}
        {bottom}
      </Box>
    );
  }

  return (
    <Box flexDirection="column" width={L.width} height={L.height}>
      <Header title={data.runbook?.startsWith('drill') ? m.titleDrill : m.titleFailover} site={data.site} runId={data.runId} phase={phaseWord(ui, data.phase)} elapsedMs={(data.finishedAt ?? now) - data.startedAt} width={L.width} />
      <Box height={L.middle} flexDirection="column">
        {middle}
      </Box>
      <Text wrap="truncate-end" {...tint(ui, status.color, { bold: true })}>
        {fit(status.text, L.width)}
      </Text>
      <Text wrap="truncate-end" {...tint(ui, 'gray')}>
        {fit(keys, L.width)}
      </Text>
    </Box>
  );
}
