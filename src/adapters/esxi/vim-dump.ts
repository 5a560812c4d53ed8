/**
 * vim-cmd prints managed objects as `(type) { key = value, … }` dumps: fault blocks, get.guest,
 * get.summary. Two formats exist (fixtures README): older hosts add `dynamicType = <unset>,` and a
 * trailing `,` or `, ` on each field; newer ones print `faultMessage = <unset>` and no commas.
 * Strings are not escaped (`msg = "… "16""`), so a string is everything between its first and last
 * `"`, and it may run over several lines.
 */
import { ParseError } from '../../errors.js';
import { isBlank, preview, toLines, trimBlanksEnd, trimBlanksStart, type Line } from './text.js';

export type VimValue = string | null | VimObject | VimValue[];
export interface VimObject {
  type: string;
  fields: Record<string, VimValue>;
}

const OPEN_OBJECT = /^[ \t]*\(([A-Za-z_][\w.]*)\) \{[ \t]*$/;
const FIELD = /^[ \t]*([A-Za-z_]\w*) = (.*)$/;
const CLOSE = /^[ \t]*([}\]])[ \t]*,?[ \t]*$/;
const MAX_DEPTH = 32;

/** Drop the old format's trailing `,` / `, ` and any blanks around it. */
function stripComma(s: string): string {
  const t = trimBlanksEnd(s);
  return t.endsWith(',') ? trimBlanksEnd(t.slice(0, -1)) : t;
}

class DumpReader {
  constructor(
    private readonly lines: Line[],
    private readonly kind: string,
  ) {}

  fail(at: number, message: string): never {
    const line = this.lines[at] ?? this.lines[this.lines.length - 1];
    throw new ParseError(this.kind, line ? line.no : null, message);
  }

  /** Read `(type) {` at `at` through its `}`; returns the object and the index after it. */
  object(at: number, type: string, depth: number): [VimObject, number] {
    if (depth > MAX_DEPTH) this.fail(at, 'objects nested too deep');
    const fields = Object.create(null) as Record<string, VimValue>;
    let i = at + 1;
    for (;;) {
      const line = this.lines[i];
      if (!line) this.fail(i, `"(${type}) {" is not closed`);
      if (isBlank(line.text)) {
        i++;
        continue;
      }
      const close = CLOSE.exec(line.text);
      if (close) {
        if (close[1] !== '}') this.fail(i, `"]" closes an object`);
        return [{ type, fields }, i + 1];
      }
      const f = FIELD.exec(line.text);
      if (!f) this.fail(i, `not a field of ${type}: ${preview(line.text)}`);
      const [value, next] = this.value(i, f[2]!, depth);
      fields[f[1]!] = value;
      i = next;
    }
  }

  /** A value that starts on line `at` with text `first`. */
  value(at: number, first: string, depth: number): [VimValue, number] {
    const head = first.trim();
    const obj = /^\(([A-Za-z_][\w.]*)\) ([{[])$/.exec(stripComma(head));
    if (obj) {
      if (obj[2] === '{') return this.object(at, obj[1]!, depth + 1);
      return this.array(at, depth + 1);
    }
    if (head.startsWith('"')) return this.string(at, first);
    const v = stripComma(head);
    return [v === '<unset>' || /^\([\w.]+\) null$/.test(v) ? null : v, at + 1];
  }

  array(at: number, depth: number): [VimValue[], number] {
    if (depth > MAX_DEPTH) this.fail(at, 'objects nested too deep');
    const items: VimValue[] = [];
    let i = at + 1;
    for (;;) {
      const line = this.lines[i];
      if (!line) this.fail(i, 'an array "[" is not closed');
      if (isBlank(line.text)) {
        i++;
        continue;
      }
      const close = CLOSE.exec(line.text);
      if (close) {
        if (close[1] !== ']') this.fail(i, '"}" closes an array');
        return [items, i + 1];
      }
      const [v, next] = this.value(i, line.text, depth);
      items.push(v);
      i = next;
    }
  }

  /** A string runs to the first line whose text (comma aside) ends with `"`. */
  string(at: number, first: string): [string, number] {
    const parts: string[] = [];
    let i = at;
    let text = trimBlanksStart(first);
    for (;;) {
      parts.push(text);
      const end = stripComma(text);
      const done = i === at ? end.length >= 2 && end.endsWith('"') : end.endsWith('"');
      if (done) break;
      i++;
      const line = this.lines[i];
      if (!line) this.fail(at, 'a quoted value is not closed');
      text = line.text;
    }
    const all = parts.join('\n');
    return [all.slice(all.indexOf('"') + 1, all.lastIndexOf('"')), i + 1];
  }
}

/** Parse the first `(type) {` dump in `text` (or throw). Returns null when there is none. */
export function parseVimObject(
  text: string,
  kind: string,
): { object: VimObject; startLine: number; endIndex: number; lines: Line[] } | null {
  const lines = toLines(text);
  const start = lines.findIndex((l) => OPEN_OBJECT.test(l.text));
  if (start < 0) return null;
  const type = OPEN_OBJECT.exec(lines[start]!.text)![1]!;
  const [object, end] = new DumpReader(lines, kind).object(start, type, 0);
  return { object, startLine: lines[start]!.no, endIndex: end, lines };
}

// ---- faults ---------------------------------------------------------------------------------

export interface VimFault {
  /** e.g. `vim.fault.NotFound`, `vmodl.fault.ManagedObjectNotFound`. */
  fault: string;
  /** The `msg` text, inner quotes kept as printed; '' when the dump has no msg. */
  message: string;
  /** Every scalar field as printed (`<unset>` → null); nested values are left out. */
  fields: Record<string, string | null>;
}

const FAULT_OPEN = /^[ \t]*\(((?:vim|vmodl)\.fault\.[\w.]+|vmodl\.MethodFault|vmodl\.RuntimeFault)\) \{[ \t]*$/;
const FAULT_KIND = 'esxi-fault';

function faultAt(lines: Line[], start: number): [VimFault, number] {
  const type = FAULT_OPEN.exec(lines[start]!.text)![1]!;
  const [obj, end] = new DumpReader(lines, FAULT_KIND).object(start, type, 0);
  const fields = Object.create(null) as Record<string, string | null>;
  for (const [k, v] of Object.entries(obj.fields)) {
    if (v === null || typeof v === 'string') fields[k] = v;
  }
  const msg = obj.fields.msg;
  return [{ fault: type, message: typeof msg === 'string' ? msg : '', fields }, end];
}

/**
 * The fault block that makes up `text` (blank lines around it allowed). null when the text has no
 * fault block; ParseError when it has one that is malformed or has other text around it.
 */
export function parseVimFault(text: string): VimFault | null {
  const lines = toLines(text);
  const start = lines.findIndex((l) => FAULT_OPEN.test(l.text));
  if (start < 0) return null;
  for (let i = 0; i < start; i++) {
    if (!isBlank(lines[i]!.text)) {
      throw new ParseError(FAULT_KIND, lines[i]!.no, `text before the fault block: ${preview(lines[i]!.text)}`);
    }
  }
  const [fault, end] = faultAt(lines, start);
  for (let i = end; i < lines.length; i++) {
    if (!isBlank(lines[i]!.text)) {
      throw new ParseError(FAULT_KIND, lines[i]!.no, `text after the fault block: ${preview(lines[i]!.text)}`);
    }
  }
  return fault;
}

/** The first fault block anywhere in `text` (e.g. after `Powering off VM:`), or null. */
export function findVimFault(text: string): VimFault | null {
  const lines = toLines(text);
  const start = lines.findIndex((l) => FAULT_OPEN.test(l.text));
  if (start < 0) return null;
  return faultAt(lines, start)[0];
}

// ---- get.guest --------------------------------------------------------------------------------

export type Heartbeat = 'green' | 'yellow' | 'red' | 'gray';

export interface GuestInfo {
  /** `guestToolsRunning`, `guestToolsNotRunning`, `guestToolsExecutingScripts`. */
  toolsRunningStatus: string;
  /** `toolsOk`, `toolsOld`, `toolsNotRunning`, `toolsNotInstalled`; null when unset or absent. */
  toolsStatus: string | null;
  /** `running`, `notRunning`, `shuttingDown`, `resetting`, `standby`, `unknown`. */
  guestState: string;
  /**
   * GuestInfo has no heartbeat field (the API keeps it on VirtualMachine.guestHeartbeatStatus), so
   * this is only set when the dump carries a top-level `guestHeartbeatStatus` line.
   */
  heartbeat?: Heartbeat | null;
  ipAddress?: string | null;
  hostName?: string | null;
}

const GUEST_KIND = 'esxi-guest';

/**
 * `vim-cmd vmsvc/get.guest VMID`: `Guest information:`, a blank line, then a
 * `(vim.vm.GuestInfo) { … }` dump. No fixture exists; the layout was taken from public scripts that
 * parse this output and from the vSphere API's GuestInfo fields. Only top-level fields are read (the
 * `net` array repeats `ipAddress` per NIC). `<unset>` becomes null.
 */
export function parseGuestInfo(text: string): GuestInfo {
  const lines = toLines(text);
  const start = lines.findIndex((l) => OPEN_OBJECT.test(l.text));
  if (start < 0) throw new ParseError(GUEST_KIND, null, 'no "(vim.vm.GuestInfo) {" block in the output');
  for (let i = 0; i < start; i++) {
    const t = lines[i]!.text;
    if (!isBlank(t) && !/^Guest information:[ \t]*$/.test(t)) {
      throw new ParseError(GUEST_KIND, lines[i]!.no, `unexpected text before the guest block: ${preview(t)}`);
    }
  }
  const type = OPEN_OBJECT.exec(lines[start]!.text)![1]!;
  if (FAULT_OPEN.test(lines[start]!.text)) {
    const f = faultAt(lines, start)[0];
    throw new ParseError(GUEST_KIND, lines[start]!.no, `the device answered with a fault: ${f.fault}: ${f.message}`);
  }
  const [obj, end] = new DumpReader(lines, GUEST_KIND).object(start, type, 0);
  for (let i = end; i < lines.length; i++) {
    if (!isBlank(lines[i]!.text)) throw new ParseError(GUEST_KIND, lines[i]!.no, `text after the guest block: ${preview(lines[i]!.text)}`);
  }
  const str = (k: string): string | null | undefined => {
    if (!(k in obj.fields)) return undefined;
    const v = obj.fields[k];
    return typeof v === 'string' || v === null ? v : undefined;
  };
  const running = str('toolsRunningStatus');
  if (!running) throw new ParseError(GUEST_KIND, lines[start]!.no, 'the guest block has no toolsRunningStatus');
  const state = str('guestState');
  if (!state) throw new ParseError(GUEST_KIND, lines[start]!.no, 'the guest block has no guestState');
  const out: GuestInfo = { toolsRunningStatus: running, toolsStatus: str('toolsStatus') ?? null, guestState: state };
  const hb = str('guestHeartbeatStatus');
  if (hb !== undefined) {
    if (hb !== null && !['green', 'yellow', 'red', 'gray'].includes(hb)) {
      throw new ParseError(GUEST_KIND, lines[start]!.no, `unknown heartbeat status ${preview(hb)}`);
    }
    out.heartbeat = hb as Heartbeat | null;
  }
  const ip = str('ipAddress');
  if (ip !== undefined) out.ipAddress = ip;
  const hn = str('hostName');
  if (hn !== undefined) out.hostName = hn;
  return out;
}
