import { useMemo, useSyncExternalStore } from 'react';
import { render, useApp } from 'ink';
import chalk from 'chalk';
import type { Lang } from '../i18n/lang.js';
import type { ViewModel } from '../engine/view-model.js';
import type { SituationBoard } from '../runbook/board.js';
import { uiMessages } from '../i18n/ui.js';
import { commonMessages } from '../i18n/common.js';
import { createScreenMapper } from './from-view-model.js';
import { createStore } from './store.js';
import type { InkPrompter } from './ink-prompter.js';
import type { ReadableStore } from './types.js';
import { UiProvider } from './theme.js';
import { useThrottledStore } from './use-store.js';
import { FailoverScreen } from './components/FailoverScreen.js';

export interface Streams {
  stdout?: NodeJS.WriteStream | undefined;
  stdin?: NodeJS.ReadStream | undefined;
  stderr?: NodeJS.WriteStream | undefined;
  /** Tests: Ink writes every frame whole (and also when the CI variable is set). */
  debug?: boolean | undefined;
}

export interface RenderFailoverOptions extends Streams {
  viewModelStore: ReadableStore<ViewModel>;
  prompter: InkPrompter;
  /** `p` or Ctrl+C: ask the engine to stop at the next safe point. Open questions get a StoppedError. */
  onPause: (how: 'key' | 'ctrl-c') => void;
  /** `q` confirmed: same as a pause, and the command leaves once the engine has stopped. */
  onQuit: () => void;
  lang: Lang;
  /** NO_COLOR: pass `'NO_COLOR' in env`; default: no colour when chalk found none. */
  noColor?: boolean | undefined;
  /** Re-render at most this often (ms). */
  frameMs?: number | undefined;
  /** A fixed clock (tests, previews); default: the wall clock. */
  now?: number | undefined;
  /** A board the screen has no drawing of (reprotect's plan, failback's placement), in the plain output's words. */
  formatBoard?: ((board: SituationBoard) => string[]) | undefined;
  /** The command that resumes a run, as it works from any folder (default: drbook resume RUN). */
  resumeCommand?: ((runId: string) => string) | undefined;
}

export interface RenderedScreen {
  /** Settles when the operator leaves the finished screen or `unmount()` is called. */
  waitUntilExit: () => Promise<void>;
  /** The report is written: the finished screen says where (the failover screen; optional elsewhere). */
  showReport?: ((path: string) => void) | undefined;
  unmount: () => void;
}

function FailoverRoot(props: RenderFailoverOptions & { reportStore: ReadableStore<string | undefined> }) {
  const { exit } = useApp();
  const vm = useThrottledStore(props.viewModelStore, props.frameMs);
  const mapper = useMemo(() => createScreenMapper(props.lang, props.formatBoard), [props.lang, props.formatBoard]);
  const reportPath = useSyncExternalStore(props.reportStore.subscribe, props.reportStore.getSnapshot);
  const mapped = useMemo(() => mapper(vm), [mapper, vm]);
  const resumeCommand = mapped.runId && props.resumeCommand ? props.resumeCommand(mapped.runId) : undefined;
  const data = useMemo(
    () => ({ ...mapped, ...(reportPath ? { reportPath } : {}), ...(resumeCommand ? { resumeCommand } : {}) }),
    [mapped, reportPath, resumeCommand],
  );
  const dialog = useSyncExternalStore(props.prompter.dialogs.subscribe, props.prompter.dialogs.getSnapshot);
  const stopQuestions = () => {
    const common = commonMessages(props.lang);
    props.prompter.stop(
      uiMessages(props.lang).pauseRequested,
      data.runId ? common.resumeHint({ runId: data.runId, command: data.resumeCommand }) : undefined,
    );
  };
  return (
    <FailoverScreen
      data={data}
      dialog={dialog}
      onAnswer={(id, a) => props.prompter.dialogs.answer(id, a)}
      onPause={(how) => {
        props.onPause(how);
        stopQuestions();
      }}
      onQuit={() => {
        props.onQuit();
        stopQuestions();
      }}
      onLeave={() => exit()}
      now={props.now}
    />
  );
}

/**
 * Mounts the failover screen: the only entry the failover/resume/demo commands use.
 * Ctrl+C never kills the process here: Ink gets it as a key and the run pauses safely.
 */
export function renderFailover(opts: RenderFailoverOptions): RenderedScreen {
  const noColor = opts.noColor ?? chalk.level === 0;
  const reportStore = createStore<string | undefined>(undefined);
  const instance = render(
    <UiProvider lang={opts.lang} noColor={noColor}>
      <FailoverRoot {...opts} reportStore={reportStore} />
    </UiProvider>,
    {
      stdout: opts.stdout ?? process.stdout,
      stdin: opts.stdin ?? process.stdin,
      stderr: opts.stderr ?? process.stderr,
      exitOnCtrlC: false,
      patchConsole: false,
      debug: opts.debug ?? false,
      // The run's updates are throttled already (useThrottledStore, 50 ms). Ink's own 30 fps throttle
      // held an update that came within 33 ms of the clock's once-a-second render back to 33 ms.
      maxFps: 60,
    },
  );
  // Taken now: Ink's promise made after the app exited would never settle.
  const exited = instance.waitUntilExit().then(
    () => opts.prompter.close(),
    (e: unknown) => {
      opts.prompter.close();
      throw e;
    },
  );
  return {
    waitUntilExit: () => exited,
    showReport: (path) => reportStore.set(path),
    unmount: () => instance.unmount(),
  };
}
