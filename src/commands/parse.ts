/**
 * `drbook parse KIND [FILE]`: read one device output (FILE, `-` or stdin) with the parser drbook
 * itself uses and print what it read as JSON. Operators check their own devices' output with it;
 * scripts rely on the shapes (issue 4), so keys only ever get added.
 *
 * The parsers are imported only when the command runs, so registering it costs nothing.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EXIT, OperatorError, ParseError, type ExitCode } from '../errors.js';
import type { CommandContext } from './context.js';

export interface ParseKind {
  kind: string;
  description: string;
}

/** The kinds, in the order `drbook parse --list` prints them. */
export const PARSE_KINDS: readonly ParseKind[] = [
  { kind: 'esxi-getallvms', description: 'vim-cmd vmsvc/getallvms: registered VMs (vmid, name, datastore, .vmx path, guest OS, version, annotation)' },
  { kind: 'esxi-snapshot-get', description: 'vim-cmd vmsvc/snapshot.get VMID (also snapshot.revert/remove output): the snapshot tree' },
  { kind: 'esxi-power-getstate', description: 'vim-cmd vmsvc/power.getstate VMID: on, off or suspended' },
  { kind: 'esxi-process-list', description: 'esxcli vm process list: running VM processes with world ids' },
  { kind: 'esxi-nfs-list', description: 'esxcli storage nfs list: NFS datastores and whether they are accessible, mounted, read-only' },
  { kind: 'esxi-version', description: 'esxcli system version get: product, version, build' },
  { kind: 'esxi-lockdown', description: 'vim-cmd -U dcui vimsvc/auth/lockdown_is_enabled: true or false' },
  { kind: 'esxi-fault', description: 'a vim-cmd fault dump "(vim.fault.X) { … }": the fault type and its message' },
  { kind: 'ontap-snapmirror-show', description: 'snapmirror show (default table, -fields or -instance): the relationships' },
  { kind: 'ontap-snapshot-show', description: 'volume snapshot show (default table or -fields): the snapshots' },
  { kind: 'ontap-message', description: 'any other ONTAP command output: error, warning, notice, success, empty or other' },
];

type Parser = (text: string) => unknown;

async function parserFor(kind: string): Promise<Parser> {
  if (kind.startsWith('ontap-')) {
    const ontap = await import('../adapters/ontap/parsers.js');
    switch (kind) {
      case 'ontap-snapmirror-show':
        return (t) => ontap.parseSnapmirrorShow(t);
      case 'ontap-snapshot-show':
        return (t) => ontap.parseSnapshotShow(t);
      case 'ontap-message':
        return (t) => ontap.parseOntapMessage(t);
    }
  }
  const esxi = await import('../adapters/esxi/parsers.js');
  switch (kind) {
    case 'esxi-getallvms':
      return (t) => esxi.parseGetAllVms(t);
    case 'esxi-snapshot-get':
      return (t) => esxi.parseSnapshotTree(t);
    case 'esxi-power-getstate':
      return (t) => esxi.parsePowerState(t);
    case 'esxi-process-list':
      return (t) => esxi.parseProcessList(t);
    case 'esxi-nfs-list':
      return (t) => esxi.parseNfsList(t);
    case 'esxi-version':
      return (t) => esxi.parseVersion(t);
    case 'esxi-lockdown':
      return (t) => esxi.parseLockdown(t);
    case 'esxi-fault':
      return (t) => {
        const fault = esxi.parseVimFault(t);
        if (fault === null) throw new ParseError('esxi-fault', null, 'no "(vim.fault.X) {" block in the text');
        return fault;
      };
  }
  throw unknownKind(kind);
}

function unknownKind(kind: string): OperatorError {
  return new OperatorError(
    `unknown kind ${JSON.stringify(kind)}`,
    `use one of: ${PARSE_KINDS.map((k) => k.kind).join(', ')} (drbook parse --list describes them)`,
  );
}

/** The kinds and what they read; descriptions wrap under themselves so no line passes `columns`. */
function listKinds(indent = 0, columns = Infinity): string {
  const width = Math.max(...PARSE_KINDS.map((k) => k.kind.length));
  const room = Math.max(20, columns - indent - width - 2);
  return PARSE_KINDS.map((k) => {
    const lines: string[] = [];
    for (const word of k.description.split(' ')) {
      const last = lines[lines.length - 1];
      if (last !== undefined && last.length + 1 + word.length <= room) lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
    }
    return lines.map((l, i) => `${' '.repeat(indent)}${(i === 0 ? k.kind : '').padEnd(width)}  ${l}`).join('\n');
  }).join('\n');
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

export interface ParseArgs {
  kind?: string | undefined;
  file?: string | undefined;
  list?: boolean | undefined;
}

export async function runParse(ctx: CommandContext, args: ParseArgs): Promise<ExitCode> {
  if (args.list || args.kind === 'list') {
    ctx.stdout.write(`${listKinds()}\n`);
    return EXIT.ok;
  }
  const kind = args.kind;
  if (kind === undefined) throw new OperatorError('drbook parse needs a KIND', 'drbook parse --list shows the kinds');
  if (!PARSE_KINDS.some((k) => k.kind === kind)) throw unknownKind(kind);
  const parse = await parserFor(kind);

  let text: string;
  if (args.file !== undefined && args.file !== '-') {
    try {
      text = await readFile(args.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new OperatorError(`cannot read ${args.file} (${code})`, 'give the path of a file holding the device output, or pipe it in');
    }
  } else {
    if (ctx.stdin.isTTY) {
      throw new OperatorError('drbook parse reads the device output from FILE or stdin', `pipe it in: … | drbook parse ${kind}`);
    }
    text = await readStdin(ctx.stdin);
  }
  const result = parse(text);
  ctx.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  return EXIT.ok;
}

export function registerParse(program: Command, setRunner: (r: (ctx: CommandContext) => Promise<ExitCode>) => void): void {
  program
    .command('parse')
    .description('read a device output (FILE or stdin) the way drbook does and print it as JSON')
    .argument('[kind]', 'what the output is (drbook parse --list)')
    .argument('[file]', 'file holding the output; stdin when absent or -')
    .option('--list', 'list the kinds with a description')
    .addHelpText('after', `\nKinds:\n${listKinds(2, 80)}\n\nExit: 0 JSON on stdout; 2 the text is not of that kind (one line on stderr\nnames the line).`)
    .action((kind: string | undefined, file: string | undefined, opts: { list?: boolean }) => {
      setRunner((ctx) => runParse(ctx, { kind, file, list: opts.list }));
    });
}
