/**
 * Parsers of ESXi shell output: pure functions, text in, typed object out. Text that does not fit
 * throws ParseError naming the line; nothing returns a half-filled record. Written against the real
 * samples in ../shared/fixtures (see its README for the rules). `drbook parse` imports these names.
 */
import { ParseError } from '../../errors.js';
import { isBlank, preview, toLines } from './text.js';
import { findVimFault, type Heartbeat } from './vim-dump.js';

export { parseGetAllVms, type GetAllVms, type GetAllVmsRow } from './getallvms.js';
export { parseSnapshotTree, flattenSnapshots, snapshotTimeToIso, type SnapshotNode, type SnapshotTree } from './snapshot-tree.js';
export {
  parseProcessList,
  parseNfsList,
  parseFilesystemList,
  parseVersion,
  type VmProcess,
  type NfsMount,
  type EsxiFilesystem,
  type EsxiVersion,
} from './esxcli.js';
export {
  parseVimFault,
  findVimFault,
  parseGuestInfo,
  parseVimObject,
  type VimFault,
  type VimObject,
  type VimValue,
  type GuestInfo,
  type Heartbeat,
} from './vim-dump.js';
export {
  parsePendingQuestion,
  parsePendingQuestions,
  isMovedOrCopiedQuestion,
  movedChoiceKey,
  type PendingQuestion,
  type QuestionChoice,
} from './question.js';
export { parseVmx, getVmx, setVmx, serializeVmx, type VmxLine } from './vmx.js';

/** Non-blank lines, trimmed at the end. */
function textLines(text: string) {
  return toLines(text)
    .filter((l) => !isBlank(l.text))
    .map((l) => ({ no: l.no, text: l.text.trimEnd() }));
}

export type PowerState = 'on' | 'off' | 'suspended';
const POWER_STATES = new Map<string, PowerState>([
  ['Powered on', 'on'],
  ['Powered off', 'off'],
  ['Suspended', 'suspended'],
]);

/** `vim-cmd vmsvc/power.getstate`: `Retrieved runtime info`, then one state line. */
export function parsePowerState(text: string): { state: PowerState } {
  const KIND = 'esxi-power-getstate';
  const lines = textLines(text);
  let i = 0;
  if (lines[0]?.text === 'Retrieved runtime info') i = 1;
  const line = lines[i];
  if (!line) throw new ParseError(KIND, null, 'no power state line ("Powered on", "Powered off" or "Suspended")');
  const state = POWER_STATES.get(line.text);
  if (!state) {
    throw new ParseError(KIND, line.no, `not a power state: ${preview(line.text)}`);
  }
  const extra = lines[i + 1];
  if (extra) throw new ParseError(KIND, extra.no, `unexpected text after the power state: ${preview(extra.text)}`);
  return { state };
}

/**
 * `vim-cmd vmsvc/get.guestheartbeatStatus VMID`: one word, the VirtualMachine's
 * guestHeartbeatStatus (`green`, `yellow`, `red`, `gray`). No fixture; the word set is the API's
 * ManagedEntity.Status enum, and the lab prints the same.
 */
export function parseHeartbeat(text: string): { heartbeat: Heartbeat } {
  const KIND = 'esxi-heartbeat';
  const lines = textLines(text);
  const line = lines[0];
  if (!line) throw new ParseError(KIND, null, 'empty output; expected green, yellow, red or gray');
  if (lines.length > 1) throw new ParseError(KIND, lines[1]!.no, `unexpected text: ${preview(lines[1]!.text)}`);
  const word = line.text.trim();
  if (word !== 'green' && word !== 'yellow' && word !== 'red' && word !== 'gray') {
    throw new ParseError(KIND, line.no, `expected green, yellow, red or gray, got ${preview(line.text)}`);
  }
  return { heartbeat: word };
}

/** `vim-cmd -U dcui vimsvc/auth/lockdown_is_enabled`: `true` or `false`. */
export function parseLockdown(text: string): { enabled: boolean } {
  const KIND = 'esxi-lockdown';
  const lines = textLines(text);
  const line = lines[0];
  if (!line) throw new ParseError(KIND, null, 'empty output; expected "true" or "false"');
  if (lines.length > 1) throw new ParseError(KIND, lines[1]!.no, `unexpected text: ${preview(lines[1]!.text)}`);
  if (line.text.trim() === 'true') return { enabled: true };
  if (line.text.trim() === 'false') return { enabled: false };
  throw new ParseError(KIND, line.no, `expected "true" or "false", got ${preview(line.text)}`);
}

/**
 * `vim-cmd solo/registervm PATH [NAME]`: the new vmid on some versions, nothing on others (both
 * sampled). A fault dump is an error.
 */
export function parseRegisterVm(text: string): { vmid: number | null } {
  const KIND = 'esxi-registervm';
  const fault = findVimFault(text);
  if (fault) throw new ParseError(KIND, null, `the device answered with a fault: ${fault.fault}: ${fault.message}`);
  const lines = textLines(text);
  if (lines.length === 0) return { vmid: null };
  const line = lines[0]!;
  if (lines.length > 1) throw new ParseError(KIND, lines[1]!.no, `unexpected text: ${preview(lines[1]!.text)}`);
  if (!/^\d+$/.test(line.text.trim())) throw new ParseError(KIND, line.no, `expected the new vmid, got ${preview(line.text)}`);
  return { vmid: Number(line.text.trim()) };
}

export interface PowerChangeFailure {
  /** The device's own words: the fault msg, `Power off failed`, or the unexpected text. */
  message: string;
  fault?: string;
}

/**
 * What `vim-cmd vmsvc/power.on|off` printed, judged: null when it is only the `Powering on VM:` /
 * `Powering off VM:` line; otherwise the failure. The line is printed even when the call then
 * fails, with a fault dump or `Power off failed` after it; anything else unexpected is a failure
 * too, because the exit status alone is not trusted.
 */
export function powerChangeFailure(text: string): PowerChangeFailure | null {
  const fault = (() => {
    try {
      return findVimFault(text);
    } catch (err) {
      if (err instanceof ParseError) return { fault: 'unparsed-fault', message: text.trim() };
      throw err;
    }
  })();
  if (fault)
    return fault.fault === 'unparsed-fault' ? { message: fault.message } : { message: fault.message || fault.fault, fault: fault.fault };
  // A transcript may show the line indented (a backgrounded `power.on &`): the words decide.
  const rest = textLines(text).filter((l) => !/^[ \t]*Powering (on|off) VM:$/.test(l.text));
  if (rest.length === 0) return null;
  const failed = rest.find((l) => /^Power (on|off) failed$/.test(l.text));
  return { message: failed ? failed.text : rest.map((l) => l.text).join('\n') };
}
