/**
 * The ONTAP clustershell message grammar (fixtures README, "Messages"). ONTAP's SSH exit status
 * does not tell success from failure, so the text is what decides.
 *
 * - `Error: command failed: …` / `Error: …` (syntax errors), continuation lines indented (7 spaces)
 * - `Warning: …` / `Notice: …` blocks, continuation lines indented (8 or 9 spaces)
 * - `Do you want to continue? {y|n}: y` (the `y` is the echoed answer in a captured session), on its
 *   own line or ending a warning's line
 * - `[Job N] Job succeeded: Successful`, `[Job N] Job is queued: …`, `[Job N] Steps completed: …`
 * - `Operation succeeded: …`, `Operation is queued: …`, `Volume modify successful on …`
 * - `There are no entries matching your query.` (a query matched nothing), `This table is currently
 *   empty.` (a show without a query, on an empty table)
 * - nothing at all: many commands (restore, mount, snapshot create) print nothing on success.
 */
import { EMPTY_RESULTS, outputLines } from './table.js';

export type OntapMessageKind = 'error' | 'warning' | 'notice' | 'success' | 'empty' | 'other';

export interface OntapJob {
  id: number;
  /** `succeeded`, `queued`, `failed`, or the words ONTAP printed for another state. */
  state: string;
  text: string;
}

export interface OntapPrompt {
  question: string;
  /** The echoed answer (`y`/`n`), or null when the capture stops at the prompt. */
  answer: string | null;
}

export interface OntapMessage {
  /**
   * The outcome, by precedence: error (an `Error:` or a failed job) > success (an `Operation …`,
   * a job line that succeeded or was queued, a `… successful …` line, or empty output) > empty
   * (`There are no entries …`) > warning > notice > other.
   */
  kind: OntapMessageKind;
  /** The message that decided the kind, continuation lines joined by one space; '' for empty output. */
  text: string;
  job?: OntapJob;
  errors: string[];
  warnings: string[];
  notices: string[];
  successes: string[];
  prompts: OntapPrompt[];
  /** The other lines of a job: `[Job 5384] Steps completed: 4 of 4.` */
  progress: string[];
  /** Lines that match no rule of the grammar. */
  other: string[];
}

type BlockKind = 'error' | 'warning' | 'notice' | 'success' | 'empty' | 'job' | 'progress' | 'prompt' | 'other';

interface Block {
  kind: BlockKind;
  text: string;
  prompt?: OntapPrompt;
}

/**
 * `{y|n}:` ends a prompt wherever it stands (NetApp docs samples): alone on its line, after the
 * question at col 0, or at the end of a warning's continuation line (`… with your changes. Do you
 * want to continue? {y|n}: y`). What follows is the echoed answer (`y`, `n`, `Y`, `<y>`).
 */
const PROMPT_MARK = '{y|n}:';

/** [text before the prompt mark, echoed answer or null], or null when the line does not end a prompt. */
function promptAt(line: string): [string, string | null] | null {
  const at = line.lastIndexOf(PROMPT_MARK);
  if (at < 0) return null;
  const after = /^(?:[ \t]+(\S+))?[ \t]*$/.exec(line.slice(at + PROMPT_MARK.length));
  return after ? [line.slice(0, at).trimEnd(), after[1] ?? null] : null;
}
const JOB = /^\[Job (\d+)\] Job ([^:]+): ?(.*)$/;
/** Other lines of a running job: `[Job 5384] Steps completed: 4 of 4.` */
const JOB_PROGRESS = /^\[Job \d+\] /;

function classify(line: string): BlockKind {
  if (/^Error:/.test(line)) return 'error';
  if (/^Warning:/.test(line)) return 'warning';
  if (/^(Notice|Info):/.test(line)) return 'notice';
  if (JOB.test(line)) return 'job';
  if (JOB_PROGRESS.test(line)) return 'progress';
  if (/^Operation (succeeded|is queued):/.test(line)) return 'success';
  if (EMPTY_RESULTS.includes(line)) return 'empty';
  // Seen: `Volume modify successful on volume vol_src of Vserver c1_svm1.`
  if (/^[A-Z][^:]* successful\b/.test(line)) return 'success';
  return 'other';
}

/** `with your changes. Do you want to continue?` → [`with your changes.`, `Do you want to continue?`] */
function splitQuestion(text: string): [string, string] {
  const m = /^(.*[.!:])[ \t]+([^.!:]*\?)$/.exec(text);
  return m ? [m[1]!, m[2]!] : ['', text];
}

/** Split output into messages: a line at col 0 starts one, indented lines continue it. */
function blocks(text: string): Block[] {
  const out: Block[] = [];
  let cur: Block | null = null;
  const continues = (raw: string): boolean =>
    /^\s/.test(raw) && cur !== null && cur.kind !== 'prompt' && cur.kind !== 'job' && cur.kind !== 'progress';
  for (const raw of outputLines(text)) {
    if (raw.trim() === '') {
      cur = null;
      continue;
    }
    const line = raw.trim();
    const prompt = promptAt(line);
    if (prompt) {
      let before = prompt[0];
      let question: string;
      if (before === '') {
        // `{y|n}: y` alone: the question is the message above it (`Warning: Are you sure …?`).
        const last = out[out.length - 1];
        question = last ? splitQuestion(last.text.replace(/^(Warning|Notice|Info): */, ''))[1] : '';
      } else {
        const opensWarning = !/^\s/.test(raw) && /^(Warning|Notice|Info):/.test(before);
        const whole = before;
        [before, question] = splitQuestion(before);
        if (opensWarning && /^((Warning|Notice|Info):)?$/.test(before)) {
          // `Warning: Are you sure you want to halt the node? {y|n}: y`: the warning is the question.
          before = whole;
          question = whole.replace(/^(Warning|Notice|Info): */, '');
        }
        if (before !== '') {
          if (continues(raw)) cur!.text = `${cur!.text} ${before}`;
          else out.push({ kind: classify(before), text: before });
        }
      }
      cur = { kind: 'prompt', text: `${question} {y|n}:${prompt[1] ? ` ${prompt[1]}` : ''}`, prompt: { question, answer: prompt[1] } };
      out.push(cur);
      continue;
    }
    if (continues(raw)) {
      cur!.text = `${cur!.text} ${line}`;
      continue;
    }
    // Only a line at col 0 opens a message; an indented orphan (a table row, a right-aligned
    // label) is never taken for an `Error:`.
    cur = { kind: /^\s/.test(raw) ? 'other' : classify(line), text: line };
    out.push(cur);
  }
  return out;
}

function jobState(words: string): string {
  const w = words.trim().toLowerCase();
  if (w === 'is queued') return 'queued';
  if (w === 'is running') return 'running';
  return w;
}

export function parseOntapMessage(text: string): OntapMessage {
  const msg: OntapMessage = {
    kind: 'other',
    text: '',
    errors: [],
    warnings: [],
    notices: [],
    successes: [],
    prompts: [],
    progress: [],
    other: [],
  };
  const all = blocks(text);
  if (all.length === 0) {
    msg.kind = 'success';
    return msg;
  }
  let empty: string | null = null;
  let jobFailed = false;
  for (const b of all) {
    switch (b.kind) {
      case 'error':
        msg.errors.push(b.text);
        break;
      case 'warning':
        msg.warnings.push(b.text);
        break;
      case 'notice':
        msg.notices.push(b.text);
        break;
      case 'success':
        msg.successes.push(b.text);
        break;
      case 'empty':
        empty = b.text;
        break;
      case 'prompt':
        msg.prompts.push(b.prompt!);
        break;
      case 'progress':
        msg.progress.push(b.text);
        break;
      case 'job': {
        const m = JOB.exec(b.text)!;
        const state = jobState(m[2]!);
        msg.job = { id: Number(m[1]), state, text: m[3]! };
        if (state === 'failed') {
          jobFailed = true;
          msg.errors.push(b.text);
        } else if (state === 'succeeded' || state === 'queued') {
          msg.successes.push(b.text);
        } else {
          msg.other.push(b.text);
        }
        break;
      }
      default:
        msg.other.push(b.text);
    }
  }
  if (msg.errors.length > 0 || jobFailed) {
    msg.kind = 'error';
    msg.text = msg.errors[0]!;
  } else if (msg.successes.length > 0) {
    msg.kind = 'success';
    msg.text = msg.successes[msg.successes.length - 1]!;
  } else if (empty !== null) {
    msg.kind = 'empty';
    msg.text = empty;
  } else if (msg.warnings.length > 0) {
    msg.kind = 'warning';
    msg.text = msg.warnings.join('\n');
  } else if (msg.notices.length > 0) {
    msg.kind = 'notice';
    msg.text = msg.notices.join('\n');
  } else {
    msg.kind = 'other';
    msg.text = [...msg.other, ...msg.prompts.map((p) => `${p.question} {y|n}:${p.answer ? ` ${p.answer}` : ''}`)].join('\n');
  }
  return msg;
}

/**
 * The first ONTAP error anywhere in an output (an `Error:` block at col 0 with its continuation
 * lines joined, or a failed job line), or null. Use on every output, whatever the exit status.
 */
export function findOntapError(text: string): string | null {
  for (const b of blocks(text)) {
    if (b.kind === 'error') return b.text;
    if (b.kind === 'job') {
      const m = JOB.exec(b.text)!;
      if (jobState(m[2]!) === 'failed') return b.text;
    }
  }
  return null;
}
