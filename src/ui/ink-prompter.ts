import { StoppedError } from '../errors.js';
import type { ChecklistRequest, ChooseRequest, Prompter, TypedConfirmRequest } from '../engine/ports.js';
import type { ChoiceDialog, Dialog, DialogAnswer, ReadableStore } from './types.js';

interface Pending {
  dialog: Dialog;
  resolve: (answer: DialogAnswer) => void;
  reject: (error: Error) => void;
}

/**
 * The bridge between the engine's async questions and the mounted screen: ask() queues a dialog
 * and returns a promise; the screen shows the head of the queue and calls answer(). Concurrent
 * questions (two VMs failing at once) wait their turn. Imports no Ink, so the engine side can
 * hold one before anything is mounted.
 */
export class DialogQueue implements ReadableStore<Dialog | undefined> {
  private queue: Pending[] = [];
  private readonly listeners = new Set<() => void>();
  /** Set once the screen is gone: nobody could answer any more. */
  private closedWith: Error | undefined;

  getSnapshot = (): Dialog | undefined => this.queue[0]?.dialog;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  ask(dialog: Dialog): Promise<DialogAnswer> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise<DialogAnswer>((resolve, reject) => {
      this.queue = [...this.queue, { dialog, resolve, reject }];
      this.notify();
    });
  }

  /** The operator answered the dialog on screen; ignored if it is no longer the current one. */
  answer(promptId: string, value: DialogAnswer): void {
    const head = this.queue[0];
    if (!head || head.dialog.promptId !== promptId) return;
    this.queue = this.queue.slice(1);
    head.resolve(value);
    this.notify();
  }

  /** Every open question fails with `error` (the operator paused or quit while asked). */
  rejectAll(error: Error): void {
    const pending = this.queue;
    this.queue = [];
    for (const p of pending) p.reject(error);
    if (pending.length > 0) this.notify();
  }

  /** The screen is gone: open and later questions fail with `error` instead of waiting forever. */
  close(error: Error): void {
    this.closedWith = error;
    this.rejectAll(error);
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
}

/** What the error panel may show besides the engine's lines (optional; engine may pass it). */
export type ChooseWithFailure = ChooseRequest & { failure?: ChoiceDialog['failure'] };

/** The Prompter of the Ink UI: each call shows a dialog in the mounted app and waits for the answer. */
export class InkPrompter implements Prompter {
  readonly via = 'tty' as const;
  readonly dialogs = new DialogQueue();

  async confirmTyped(req: TypedConfirmRequest): Promise<boolean> {
    const a = await this.dialogs.ask({ kind: 'typed', promptId: req.promptId, title: req.title, lines: req.lines, expect: req.expect });
    return a === true;
  }

  async choose(req: ChooseWithFailure): Promise<string> {
    const a = await this.dialogs.ask({
      kind: 'choose',
      promptId: req.promptId,
      title: req.title,
      lines: req.lines,
      options: req.options,
      default: req.default,
      failure: req.failure,
    });
    return String(a);
  }

  async checklist(req: ChecklistRequest): Promise<boolean> {
    const a = await this.dialogs.ask({ kind: 'checklist', promptId: req.promptId, title: req.title, items: req.items });
    return a === true;
  }

  /** The screen was unmounted: questions now fail with a StoppedError (the run stays resumable). */
  close(): void {
    this.dialogs.close(new StoppedError('the screen was closed while drbook was asking', 'run drbook resume to continue'));
  }

  /** Pause/quit while a question is open: the engine gets a StoppedError and the run stays resumable. */
  stop(message: string, hint?: string): void {
    this.dialogs.rejectAll(new StoppedError(message, hint));
  }
}
