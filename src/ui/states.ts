import type { CommonMessages } from '../i18n/common.js';
import type { StepState } from './types.js';

/** Icons readable without colour (NO_COLOR), all single-width. */
export const STATE_ICON: Record<StepState, string> = {
  waiting: '.',
  running: '>',
  done: '✔',
  failed: '✘',
  skipped: '-',
  'needs-you': '?',
};

export const STATE_COLOR: Record<StepState, string | undefined> = {
  waiting: 'gray',
  running: 'cyan',
  done: 'green',
  failed: 'red',
  skipped: 'yellow',
  'needs-you': 'magenta',
};

export function stateWord(common: CommonMessages, s: StepState): string {
  switch (s) {
    case 'waiting':
      return common.stateWaiting;
    case 'running':
      return common.stateRunning;
    case 'done':
      return common.stateDone;
    case 'failed':
      return common.stateFailed;
    case 'skipped':
      return common.stateSkipped;
    case 'needs-you':
      return common.stateNeedsYou;
  }
}
