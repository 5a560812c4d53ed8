import { useEffect, useMemo, type ReactNode } from 'react';
import { Box, Text } from 'ink';
import type { Dialog, DialogAnswer, FailoverScreenData, RunResultView, StepView, VmView } from '../types.js';
import { failoverLayout } from '../layout.js';
import type { RunbookKind } from '../../runbook/runbook.js';
import { fitEnd, oneLine, width as textWidth, wrapWords } from '../text.js';
import { tint, useKeys, useNow, useSyncState, useTerminalSize, useUi, type Ui } from '../theme.js';
import { Header } from './Header.js';
import { SituationBoard } from './SituationBoard.js';
import { StepList, stepTitle } from './StepList.js';
import { VmTable, vmMatches, vmRowLines } from './VmTable.js';
import { CommandLog } from './CommandLog.js';
import { DetailPanel, detailLines, detailMaxScroll, type DetailContent } from './DetailPanel.js';
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

/** `scroll`: lines the details are scrolled up from their newest line. */
type Overlay =
  | { kind: 'help' }
  | { kind: 'detail-vm'; index: number; stepId: string | undefined; scroll: number }
  | { kind: 'detail-step'; index: number; scroll: number }
  | undefined;

const FINAL = new Set(['done', 'failed', 'stopped', 'paused']);

function phaseWord(ui: Ui, phase: FailoverScreenData['phase']): string {
  const m = ui.msg;
  return {
    preflight: m.phasePreflight,
    running: m.phaseRunning,
    paused: m.phasePaused,
    done: m.phaseDone,
    failed: m.phaseFailed,
    stopped: m.phaseStopped,
  }[phase];
}

/** A drill is never called a failover: whoever is on call must not think production moved. */
function titleWords(ui: Ui, kind: RunbookKind | undefined): string {
  const m = ui.msg;
  const words: Record<RunbookKind, string> = {
    failover: m.titleFailover,
    drill: m.titleDrill,
    'drill-cleanup': m.titleDrillCleanup,
    reprotect: m.titleReprotect,
    failback: m.titleFailback,
  };
  return words[kind ?? 'failover'];
}

function doneWords(ui: Ui, kind: RunbookKind | undefined): string {
  const m = ui.msg;
  const words: Record<RunbookKind, string> = {
    failover: m.statusDone,
    drill: m.statusDoneDrill,
    'drill-cleanup': m.statusDoneDrillCleanup,
    reprotect: m.statusDoneReprotect,
    failback: m.statusDoneFailback,
  };
  return words[kind ?? 'failover'];
}

/** How the run ended, in its own unit: steps for a site-wide run, VMs brought back for a failback. */
function resultWords(ui: Ui, kind: RunbookKind | undefined, r: RunResultView): string {
  if (r.unit === 'step') return ui.msg.resultSteps(r);
  return kind === 'failback' ? ui.msg.resultLineFailback(r) : ui.msg.resultLine(r);
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
  // A question that comes while "Quit?" is asked takes the keyboard: the quit prompt gives way (it
  // held the keys the question waited for, and the question's were ignored).
  const asking = dialog !== undefined && !final;
  useEffect(() => {
    if (asking) setQuitAsk(false);
  }, [asking, dialog?.promptId, setQuitAsk]);
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
  }, [vms, filter, ui.lang]); // eslint-disable-line react-hooks/exhaustive-deps -- of `ui`, only the language changes a match
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
        ? { text: m.resultNone({ step: stepTitle(ui, { id: r.stepId, title: r.title }, data.runbookKind) }), color: 'yellow' }
        : { text: resultWords(ui, data.runbookKind, r), color: clean ? 'green' : 'yellow' },
    );
  }
  if (data.error) notice.push({ text: oneLine(data.error), color: 'red' });
  if (stoppedHere && (data.phase !== 'failed' || data.runId))
    notice.push({ text: ui.common.resumeHint({ runId: data.runId, command: data.resumeCommand }), color: 'yellow' });
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

  // ---- details of a VM or a step: every command, re-read on every update so they stay live ----
  const commandsOf = data.commandsOf ?? (() => []);
  let detail: DetailContent | undefined;
  if (overlay?.kind === 'detail-vm') {
    const vm: VmView | undefined = (overlay.stepId && data.vmsOf ? data.vmsOf(overlay.stepId) : data.vms).get(overlay.index);
    if (vm)
      detail = {
        title: m.detailVmTitle({ name: oneLine(vm.name), host: oneLine(vm.host) }),
        state: vm.state,
        startedAt: vm.startedAt,
        finishedAt: vm.finishedAt,
        note: vm.error ?? vm.note,
        commands: commandsOf(vm.stepId, vm.targetId),
      };
  } else if (overlay?.kind === 'detail-step' && data.steps[overlay.index]) {
    const s = data.steps[overlay.index]!;
    detail = {
      title: m.detailStepTitle({ title: stepTitle(ui, s, data.runbookKind) }),
      state: s.state,
      startedAt: s.startedAt,
      finishedAt: s.finishedAt,
      note: s.note,
      commands: commandsOf(s.id),
    };
  }
  const detailText = detail ? detailLines(ui, detail, L.width, now) : undefined;
  const detailMax = detailText ? detailMaxScroll(detailText.head, detailText.body, L.middle) : 0;

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
      if (key.escape || key.return || input === 'q' || (input === '?' && overlayRef.current.kind === 'help')) return setOverlay(undefined);
      const page = Math.max(1, L.middle - 4);
      const by = key.upArrow
        ? 1
        : key.downArrow
          ? -1
          : key.pageUp
            ? page
            : key.pageDown
              ? -page
              : key.home
                ? detailMax
                : key.end
                  ? -detailMax
                  : 0;
      if (by !== 0) setOverlay((o) => (o && o.kind !== 'help' ? { ...o, scroll: Math.max(0, Math.min(detailMax, o.scroll + by)) } : o));
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
        if (data.steps[stepSelRef.current]) setOverlay({ kind: 'detail-step', index: stepSelRef.current, scroll: 0 });
      } else if (shown > 0) {
        const at = clampCursor(cursorRef.current).sel;
        setOverlay({ kind: 'detail-vm', index: matches ? matches[at]! : at, stepId: selectedStepId ?? data.tableStepId, scroll: 0 });
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
  } else if (data.phase === 'done') status = { text: doneWords(ui, data.runbookKind), color: 'green' };
  else if (data.phase === 'failed') status = { text: m.statusFailed, color: 'red' };
  else if (data.phase === 'stopped' || data.phase === 'paused') status = { text: m.statusStopped, color: 'yellow' };
  else if (pauseAsked === 'ctrl-c') status = { text: m.ctrlCPausing, color: 'yellow' };
  else if (pauseAsked) status = { text: m.statusPausing, color: 'yellow' };
  else if (step)
    status = {
      text:
        step.total > 0
          ? m.statusRunning({ step: stepTitle(ui, step, data.runbookKind), done: step.done, total: step.total })
          : m.statusRunningNoCount({ step: stepTitle(ui, step, data.runbookKind) }),
      color: 'cyan',
    };
  const keys = dialog && !final ? m.keysDialog : final ? m.keysDone : L.width < 100 ? m.keysNarrow : m.keysMain;

  // ---- middle of the screen ----
  let middle: ReactNode;
  if (dialog && !final) {
    // The steps stay in view beside the question (under it on a narrow terminal): where the run is.
    const stepLines = L.wide ? L.middle - 1 : Math.min(L.steps.lines, Math.max(1, L.middle - 12));
    const dialogWidth = L.wide ? L.width - L.left - 1 : L.width;
    const dialogLines = L.wide ? L.middle : L.middle - stepLines;
    const common = {
      width: dialogWidth,
      lines: dialogLines,
      onAnswer: (a: DialogAnswer) => props.onAnswer(dialog.promptId, a),
      // Always: a question shown has the keyboard ("Quit?" gives way to it, above).
      active: true,
    };
    const question =
      dialog.kind === 'typed' ? (
        <TypedConfirm key={dialog.promptId} dialog={dialog} {...common} />
      ) : dialog.kind === 'checklist' ? (
        <Checklist key={dialog.promptId} dialog={dialog} {...common} />
      ) : (
        <Choice key={dialog.promptId} dialog={dialog} {...common} />
      );
    const stepList = <StepList kind={data.runbookKind} steps={data.steps} width={L.wide ? L.left : L.width} lines={stepLines} now={now} />;
    middle = L.wide ? (
      <Box flexDirection="row" height={L.middle}>
        <Box flexDirection="column" width={L.left}>
          <Text {...tint(ui, undefined, { bold: true })}>{fitEnd(m.stepsTitle, L.left)}</Text>
          {stepList}
        </Box>
        <Box width={1} />
        {question}
      </Box>
    ) : (
      <Box flexDirection="column" height={L.middle}>
        {question}
        {stepList}
      </Box>
    );
  } else if (overlay?.kind === 'help') {
    middle = <HelpOverlay width={L.width} lines={L.middle} />;
  } else if (detailText && overlay) {
    middle = <DetailPanel head={detailText.head} body={detailText.body} scroll={overlay.scroll} width={L.width} lines={L.middle} />;
  } else {
    const board = (
      <SituationBoard
        situation={data.situation}
        hypervBoard={data.hypervBoard}
        boardLines={data.boardLines}
        width={L.board.width}
        lines={L.board.lines}
        now={now}
      />
    );
    const steps = (
      <StepList
        kind={data.runbookKind}
        steps={data.steps}
        width={L.steps.width}
        lines={L.steps.lines}
        selected={focus === 'steps' ? stepSel : undefined}
        now={now}
      />
    );
    const table = (
      <VmTable
        vms={vms}
        matches={matches}
        top={topFollowing}
        selected={sel}
        focused={focus === 'vms'}
        rowsAre={data.steps.find((s) => s.id === (selectedStepId ?? data.tableStepId))?.per ?? 'vm'}
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
              {fitEnd(n.text, L.width)}
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
            <Text {...tint(ui, undefined, { bold: true })}>{fitEnd(m.boardTitle, L.left)}</Text>
            {board}
            <Text {...tint(ui, focus === 'steps' ? 'cyan' : undefined, { bold: true })}>{fitEnd(m.stepsTitle, L.left)}</Text>
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
      <Header
        title={titleWords(ui, data.runbookKind)}
        site={data.site}
        runId={data.runId}
        phase={phaseWord(ui, data.phase)}
        elapsedMs={data.startedAt === undefined ? undefined : (data.finishedAt ?? now) - data.startedAt}
        width={L.width}
      />
      <Box height={L.middle} flexDirection="column">
        {middle}
      </Box>
      <Text wrap="truncate-end" {...tint(ui, status.color, { bold: true })}>
        {fitEnd(status.text, L.width)}
      </Text>
      <Text wrap="truncate-end" {...tint(ui, 'gray')}>
        {fitEnd(keys, L.width)}
      </Text>
    </Box>
  );
}
