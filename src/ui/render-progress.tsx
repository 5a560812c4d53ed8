import { useEffect } from 'react';
import { render, useApp } from 'ink';
import chalk from 'chalk';
import type { Lang } from '../i18n/lang.js';
import type { ProgressScreenData, ReadableStore } from './types.js';
import { UiProvider } from './theme.js';
import { useThrottledStore } from './use-store.js';
import { ProgressScreen } from './components/ProgressScreen.js';
import type { RenderedScreen, Streams } from './render-failover.js';

export interface RenderProgressOptions extends Streams {
  store: ReadableStore<ProgressScreenData>;
  lang: Lang;
  noColor?: boolean | undefined;
  /** Leave by itself once `finishedAt` is set (default); false: wait for q/Enter. */
  exitWhenDone?: boolean | undefined;
  frameMs?: number | undefined;
  /**
   * Ctrl+C while working: given (drill), the key calls it and the command stops at a safe point;
   * absent (capture, read-only), Ctrl+C exits Ink as usual.
   */
  onInterrupt?: (() => void) | undefined;
}

function ProgressRoot(props: RenderProgressOptions) {
  const { exit } = useApp();
  const data = useThrottledStore(props.store, props.frameMs);
  const done = data.finishedAt !== undefined;
  useEffect(() => {
    // After the final frame (findings included) has been committed.
    if (done && props.exitWhenDone !== false) {
      const t = setTimeout(() => exit(), 0);
      return () => clearTimeout(t);
    }
    return undefined;
  }, [done, exit, props.exitWhenDone]);
  return <ProgressScreen data={data} onLeave={() => exit()} onInterrupt={props.onInterrupt} />;
}

/** The screen of `drbook capture` and `drbook drill`: per-host progress, findings at the end. */
export function renderProgress(opts: RenderProgressOptions): RenderedScreen {
  const noColor = opts.noColor ?? chalk.level === 0;
  const instance = render(
    <UiProvider lang={opts.lang} noColor={noColor}>
      <ProgressRoot {...opts} />
    </UiProvider>,
    {
      stdout: opts.stdout ?? process.stdout,
      stdin: opts.stdin ?? process.stdin,
      stderr: opts.stderr ?? process.stderr,
      exitOnCtrlC: opts.onInterrupt === undefined,
      patchConsole: false,
      debug: opts.debug ?? false,
    },
  );
  // Taken now: Ink's promise made after the app exited would never settle.
  const exited = instance.waitUntilExit().then(() => undefined);
  return {
    waitUntilExit: () => exited,
    unmount: () => instance.unmount(),
  };
}
