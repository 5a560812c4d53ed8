/**
 * `vim-cmd vmsvc/message VMID`. Real sample (esxi-vmsvc-message-1.txt, ESXi 5.0, virtuallyhyper):
 *
 *     Virtual machine message 0:
 *     msg.uuid.altered:This virtual machine may have been moved or copied.
 *     <blank>
 *     In order to configure certain management and networking features VMware ESX needs to know which.
 *     <blank>
 *     Did you move this virtual machine, or did you copy it?
 *     If you don't know, answer "I copied it".
 *     0. Cancel (Cancel)
 *     1. I _moved it (I _moved it)
 *     2. I _copied it (I _copied it) [default]
 *
 * Read by labels, not positions: the `Virtual machine message <id>:` line opens a question, the
 * numbered lines are its choices, anything else before them is its text. Tolerated without a real
 * sample (test/fixtures/devices/KINDS.md says why): the id `_vmx1` (a VMware KB names it for 5.x),
 * the `msg.…:` key on the id line (the same KB's quote), indented choices with an id in the
 * parentheses (`1. I _Moved It (button.uuid.movedTheVM)`, the vSphere API's choice labels) and a
 * line after the choices. `No message.` (scripts test for it) or nothing means no question. The
 * `_` before a letter is a menu accelerator and is dropped from `label`; choice numbers are not
 * always 0,1,2.
 */
import { ParseError } from '../../errors.js';
import { isBlank, preview, toLines, trimBlanksEnd } from './text.js';

const KIND = 'esxi-message';

export interface QuestionChoice {
  key: number;
  /** Without the `_` accelerator: `I moved it`, `I Moved It`. */
  label: string;
  /** The text in parentheses: the label again on old hosts, `button.uuid.movedTheVM` on newer ones. */
  labelId: string | null;
  /** As printed: `I _moved it (I _moved it)`. */
  raw: string;
  isDefault: boolean;
}

export interface PendingQuestion {
  /** Pass back to `vim-cmd vmsvc/message VMID ID CHOICE`. */
  id: string;
  /** `msg.uuid.altered` when the text starts with such a key, else null. */
  messageKey: string | null;
  /** The question text, without the key prefix; lines joined with `\n`. */
  text: string;
  choices: QuestionChoice[];
  /** Text after the choices (newer hosts add `Answer the question with one of the following: …`). */
  footer: string;
}

const HEAD = /^Virtual machine message ([^\s:]+):[ \t]*(.*)$/;
const CHOICE = /^[ \t]*(\d+)\. (.*\S)/;

function parseChoice(no: number, m: RegExpExecArray): QuestionChoice {
  let body = m[2]!;
  const isDefault = / \[default\]$/.test(body);
  if (isDefault) body = body.slice(0, -' [default]'.length);
  // `I _moved it (I _moved it)`: the label, then the same label in parentheses.
  const open = body.indexOf(' (');
  const paren = open > 0 && body.endsWith(')');
  const shown = paren ? body.slice(0, open) : body;
  if (shown === '') throw new ParseError(KIND, no, 'choice without a label');
  return {
    key: Number(m[1]),
    label: shown.replace(/_(?=\S)/g, ''),
    labelId: paren ? body.slice(open + 2, -1) : null,
    raw: trimBlanksEnd(m[2]!),
    isDefault,
  };
}

/** Every pending question in the output (usually zero or one). */
export function parsePendingQuestions(text: string): PendingQuestion[] {
  const lines = toLines(text);
  const out: PendingQuestion[] = [];
  let cur: { q: PendingQuestion; line: number; body: string[]; inChoices: boolean } | null = null;
  const finish = () => {
    if (!cur) return;
    const c = cur;
    cur = null;
    if (c.q.choices.length === 0) throw new ParseError(KIND, c.line, `question ${c.q.id} has no numbered choices`);
    let body = c.body.join('\n').trim();
    const key = /^(msg\.[\w.]+):/.exec(body);
    if (key) {
      c.q.messageKey = key[1]!;
      body = body.slice(key[0].length);
    }
    c.q.text = body;
    out.push(c.q);
  };
  for (const { no, text: line } of lines) {
    const head = HEAD.exec(line);
    if (head) {
      finish();
      cur = { q: { id: head[1]!, messageKey: null, text: '', choices: [], footer: '' }, line: no, body: [head[2]!], inChoices: false };
      continue;
    }
    if (!cur) {
      if (isBlank(line) || /^No message\.?[ \t]*$/.test(line)) continue;
      throw new ParseError(KIND, no, `expected "Virtual machine message <id>:" or "No message.": ${preview(line)}`);
    }
    const c = cur as { q: PendingQuestion; body: string[]; inChoices: boolean };
    const choice = CHOICE.exec(line);
    if (choice) {
      const parsed = parseChoice(no, choice);
      if (c.q.choices.some((x) => x.key === parsed.key)) throw new ParseError(KIND, no, `choice ${parsed.key} twice`);
      c.q.choices.push(parsed);
      c.inChoices = true;
      continue;
    }
    if (c.inChoices) {
      // The choices are complete; a trailing hint does not change what they mean.
      if (!isBlank(line)) c.q.footer = c.q.footer ? `${c.q.footer}\n${line}` : line;
      continue;
    }
    c.body.push(line);
  }
  finish();
  return out;
}

/** The first pending question, or null when there is none. */
export function parsePendingQuestion(text: string): PendingQuestion | null {
  return parsePendingQuestions(text)[0] ?? null;
}

/** The "moved or copied" question (`msg.uuid.altered`, or its wording). */
export function isMovedOrCopiedQuestion(q: PendingQuestion): boolean {
  return q.messageKey === 'msg.uuid.altered' || /moved or copied/i.test(q.text);
}

/** The key of the "I moved it" choice; null when there is not exactly one. */
export function movedChoiceKey(q: PendingQuestion): number | null {
  const moved = q.choices.filter((c) => c.labelId === 'button.uuid.movedTheVM' || /^I moved it$/i.test(c.label));
  return moved.length === 1 ? moved[0]!.key : null;
}
