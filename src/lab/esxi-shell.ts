import { parse, type ParseEntry } from 'shell-quote';
import { ConnectionDropped, type EsxiContext, type Output } from './esxi-context.js';
import { runVimCmd } from './esxi-vimcmd.js';
import { runEsxcli } from './esxi-esxcli.js';
import { faults } from './esxi-format.js';

/**
 * A small busybox-ash-like interpreter for the lab's ESXi hosts. It never substitutes commands
 * (`$(…)` and backticks stay literal text) and never expands variables: hostile VM names must
 * reach the commands byte for byte. The one exception is `$?` outside single quotes, the last
 * exit status, which drbook's joined reads print after each read (src/transport/batch.ts).
 */

/** What `$?` becomes at parse time, replaced by the exit status when the command runs. */
const LAST_STATUS = '\u0000?';

interface Simple {
  argv: string[];
  stdoutTo: { file: string; append: boolean } | null;
  stderrTo: 'null' | 'stdout' | { file: string; append: boolean } | null;
  stdoutToStderr: boolean;
  stdinFrom: string | null;
}
interface Pipeline {
  commands: Simple[];
  /** How this pipeline joins the previous one. */
  join: ';' | '&&' | '||';
}

export function tokenize(line: string): ParseEntry[] {
  return parse(line, (key: string) => (key === '?' ? LAST_STATUS : `$${key}`));
}

export function parseScript(line: string): Pipeline[] {
  const tokens = tokenize(line);
  const pipelines: Pipeline[] = [];
  let pipe: Pipeline = { commands: [], join: ';' };
  let cmd: Simple = newSimple();
  const stderrRedirects = line.includes('2>');
  const flushCmd = (): void => {
    if (cmd.argv.length || cmd.stdoutTo || cmd.stderrTo) pipe.commands.push(cmd);
    cmd = newSimple();
  };
  const flushPipe = (join: Pipeline['join']): void => {
    flushCmd();
    if (pipe.commands.length) pipelines.push(pipe);
    pipe = { commands: [], join };
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (typeof t === 'string') {
      cmd.argv.push(t);
      continue;
    }
    if ('comment' in t) break;
    if (!('op' in t)) continue;
    const op = t.op as string;
    if (op === 'glob') {
      cmd.argv.push((t as { pattern: string }).pattern);
      continue;
    }
    if (op === '(') {
      // `$(…)` or `(…)` unquoted: kept as literal text, never executed.
      const prev = cmd.argv[cmd.argv.length - 1];
      const inner: string[] = [];
      let j = i + 1;
      for (; j < tokens.length; j++) {
        const u = tokens[j]!;
        if (typeof u === 'object' && 'op' in u && u.op === ')') break;
        inner.push(typeof u === 'string' ? u : 'op' in u ? (u.op === 'glob' ? (u as { pattern: string }).pattern : String(u.op)) : '');
      }
      i = j;
      const text = `(${inner.join(' ')})`;
      if (prev !== undefined && prev.endsWith('$')) cmd.argv[cmd.argv.length - 1] = prev + text;
      else cmd.argv.push(text);
      continue;
    }
    if (op === ')') {
      cmd.argv.push(')');
      continue;
    }
    const isFd2 = stderrRedirects && cmd.argv[cmd.argv.length - 1] === '2';
    if (op === '>' || op === '>>') {
      const target = tokens[++i];
      const file = typeof target === 'string' ? target : '';
      if (isFd2) {
        cmd.argv.pop();
        cmd.stderrTo = file === '/dev/null' ? 'null' : { file, append: op === '>>' };
      } else cmd.stdoutTo = { file, append: op === '>>' };
      continue;
    }
    if (op === '>&') {
      const target = tokens[++i];
      if (isFd2 && target === '1') {
        cmd.argv.pop();
        cmd.stderrTo = 'stdout';
      } else if (target === '2') cmd.stdoutToStderr = true;
      continue;
    }
    if (op === '<') {
      const target = tokens[++i];
      cmd.stdinFrom = typeof target === 'string' ? target : null;
      continue;
    }
    if (op === '|') {
      flushCmd();
      continue;
    }
    if (op === ';' || op === '&' || op === ';;') flushPipe(';');
    else if (op === '&&') flushPipe('&&');
    else if (op === '||') flushPipe('||');
  }
  flushPipe(';');
  return pipelines;
}

function newSimple(): Simple {
  return { argv: [], stdoutTo: null, stderrTo: null, stdoutToStderr: false, stdinFrom: null };
}

export interface ShellResult extends Output {
  /** Every simple command's argv, as the shell split it. */
  argvs: string[][];
}

/**
 * Run a command line as ESXi's busybox sh would. `emit` gets the output as each command of the
 * line ends (a real shell writes as it goes: the end marker of a change in drbook's joined script
 * reaches it before the reads after the change have run); the result holds all of it. Throws
 * ConnectionDropped where ctx.dropAt cuts the connection.
 */
export async function runShell(ctx: EsxiContext, line: string, emit?: (stdout: string, stderr: string) => void): Promise<ShellResult> {
  let pipelines: Pipeline[];
  try {
    pipelines = parseScript(line);
  } catch (err) {
    return { stdout: '', stderr: `sh: syntax error: ${(err as Error).message}\n`, code: 2, argvs: [] };
  }
  let stdout = '';
  let stderr = '';
  let code = 0;
  const argvs: string[][] = [];
  let devices = 0;
  const emitted = { out: 0, err: 0 };
  for (const p of pipelines) {
    if (p.join === '&&' && code !== 0) continue;
    if (p.join === '||' && code === 0) continue;
    let input = '';
    for (const c of p.commands) {
      const argv = c.argv.map((a) => (a.includes(LAST_STATUS) ? a.split(LAST_STATUS).join(String(code)) : a));
      argvs.push(argv);
      if (c.stdinFrom !== null) {
        const text = ctx.fs.read(c.stdinFrom);
        if (text === null) {
          stderr += `sh: can't open '${c.stdinFrom}': No such file or directory\n`;
          code = 1;
          input = '';
          continue;
        }
        input = text;
      }
      // A real host spends a command's time on every device command of a script, not once per exec.
      if (isDeviceCommand(argv) && devices++ > 0) await ctx.sleep(ctx.latency.command);
      if (argv.length) await ctx.before?.(argv.join(' '));
      const dropAt = argv.length ? ctx.dropAt?.(argv.join(' ')) : undefined;
      if (dropAt === 'before') throw new ConnectionDropped(argvs.slice(0, -1));
      const r = !argv.length
        ? { stdout: '', stderr: '', code: 0 }
        : isDeviceCommand(argv) && ctx.hostdLost?.(argv.join(' '))
          ? { stdout: faults.systemError('Connection to hostd was lost'), stderr: '', code: 1 }
          : await runCommand(ctx, argv, input);
      if (dropAt === 'after') throw new ConnectionDropped(argvs);
      let out = r.stdout;
      let err = r.stderr;
      if (c.stderrTo === 'stdout') {
        out += err;
        err = '';
      } else if (c.stderrTo === 'null') err = '';
      else if (c.stderrTo) {
        const why = ctx.fs.write(c.stderrTo.file, err, c.stderrTo.append);
        err = why ? `sh: can't create ${c.stderrTo.file}: ${why}\n` : '';
        if (!why) ctx.changed();
      }
      if (c.stdoutToStderr) {
        err += out;
        out = '';
      }
      code = r.code;
      if (c.stdoutTo) {
        const why = ctx.fs.write(c.stdoutTo.file, out, c.stdoutTo.append);
        if (why) {
          err += `sh: can't create ${c.stdoutTo.file}: ${why}\n`;
          code = 1;
        } else ctx.changed();
        out = '';
      }
      stderr += err;
      input = out;
    }
    stdout += input;
    if (emit && (stdout.length > emitted.out || stderr.length > emitted.err)) {
      emit(stdout.slice(emitted.out), stderr.slice(emitted.err));
      emitted.out = stdout.length;
      emitted.err = stderr.length;
    }
  }
  return { stdout, stderr, code, argvs };
}

/** vim-cmd and esxcli: the commands that ask hostd, each taking its time. */
function isDeviceCommand(argv: readonly string[]): boolean {
  return ['vim-cmd', '/bin/vim-cmd', 'esxcli', '/bin/esxcli'].includes(argv[0] ?? '');
}

async function runCommand(ctx: EsxiContext, argv: string[], stdin: string): Promise<Output> {
  const [name, ...args] = argv as [string, ...string[]];
  switch (name) {
    case 'vim-cmd':
    case '/bin/vim-cmd':
      return runVimCmd(ctx, args);
    case 'esxcli':
    case '/bin/esxcli':
      return runEsxcli(ctx, args);
    case 'cat':
      return cat(ctx, args, stdin);
    case 'ls':
      return ls(ctx, args);
    case 'grep':
      return grep(ctx, args, stdin);
    case 'sed':
      return sed(ctx, args, stdin);
    case 'test':
      return { stdout: '', stderr: '', code: test(ctx, args) ? 0 : 1 };
    case '[':
      if (args[args.length - 1] !== ']') return { stdout: '', stderr: 'sh: [: missing ]\n', code: 2 };
      return { stdout: '', stderr: '', code: test(ctx, args.slice(0, -1)) ? 0 : 1 };
    case 'echo':
      return echo(args);
    case 'printf':
      return { stdout: printf(args), stderr: '', code: 0 };
    case 'mv':
      return mv(ctx, args);
    case 'true':
      return { stdout: '', stderr: '', code: 0 };
    case 'false':
      return { stdout: '', stderr: '', code: 1 };
    default:
      return { stdout: '', stderr: `sh: ${name}: not found\n`, code: 127 };
  }
}

function cat(ctx: EsxiContext, args: string[], stdin: string): Output {
  const files = args.filter((a) => a !== '-' || true);
  if (files.length === 0) return { stdout: stdin, stderr: '', code: 0 };
  let out = '';
  let err = '';
  let code = 0;
  for (const f of files) {
    if (f === '-') {
      out += stdin;
      continue;
    }
    const t = ctx.fs.read(f);
    if (t === null) {
      err += ctx.fs.isDir(f) ? `cat: read error: Is a directory\n` : `cat: can't open '${f}': No such file or directory\n`;
      code = 1;
    } else out += t;
  }
  return { stdout: out, stderr: err, code };
}

function ls(ctx: EsxiContext, args: string[]): Output {
  const flags = args.filter((a) => a.startsWith('-') && a.length > 1).join('');
  const paths = args.filter((a) => !(a.startsWith('-') && a.length > 1));
  const one = flags.includes('1') || flags.includes('l') || true;
  let out = '';
  let err = '';
  let code = 0;
  const targets = paths.length ? paths : ['/'];
  for (const p of targets) {
    const names = ctx.fs.list(p);
    if (names) {
      if (targets.length > 1) out += `${p}:\n`;
      const shown = flags.includes('a') ? ['.', '..', ...names] : names.filter((n) => !n.startsWith('.'));
      if (one) out += shown.map((n) => `${n}\n`).join('');
    } else if (ctx.fs.read(p) !== null) out += `${p}\n`;
    else {
      err += `ls: ${p}: No such file or directory\n`;
      code = 1;
    }
  }
  return { stdout: out, stderr: err, code };
}

/** Basic regular expressions (grep, sed) → JavaScript. */
export function breToJs(re: string, extended: boolean): string {
  if (extended) return re;
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\' && i + 1 < re.length) {
      const n = re[++i]!;
      if ('(){}|+?'.includes(n)) out += n;
      else out += `\\${n}`;
    } else if ('(){}|+?'.includes(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}

function grep(ctx: EsxiContext, args: string[], stdin: string): Output {
  let invert = false;
  let ignore = false;
  let count = false;
  let quiet = false;
  let fixed = false;
  let extended = false;
  let word = false;
  let names: boolean | undefined;
  let pattern: string | null = null;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (pattern === null && a === '-e') {
      pattern = args[++i] ?? '';
    } else if (pattern === null && /^-[a-zA-Z]+$/.test(a)) {
      for (const f of a.slice(1)) {
        if (f === 'v') invert = true;
        else if (f === 'i') ignore = true;
        else if (f === 'c') count = true;
        else if (f === 'q') quiet = true;
        else if (f === 'F') fixed = true;
        else if (f === 'E') extended = true;
        else if (f === 'w') word = true;
        else if (f === 'H') names = true;
        else if (f === 'h') names = false;
      }
    } else if (a === '--' && pattern === null) {
      pattern = args[++i] ?? '';
    } else if (pattern === null) pattern = a;
    else files.push(a);
  }
  if (pattern === null)
    return {
      stdout: '',
      stderr:
        'BusyBox v1.36.1 multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n',
      code: 2,
    };
  let src = fixed ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : breToJs(pattern, extended);
  if (word) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
  let re: RegExp;
  try {
    re = new RegExp(src, ignore ? 'iu' : 'u');
  } catch {
    return { stdout: '', stderr: `grep: bad regex '${pattern}'\n`, code: 2 };
  }
  let err = '';
  // BusyBox: each line is prefixed by its file when more than one file is read (or -H), not with -h.
  const prefix = names ?? files.length > 1;
  const hits: string[] = [];
  for (const f of files.length ? files : [null]) {
    const t = f === null ? stdin : ctx.fs.read(f);
    if (t === null) {
      err += `grep: ${f}: No such file or directory\n`;
      continue;
    }
    const lines = t.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const l of lines) if (re.test(l) !== invert) hits.push(prefix ? `${f ?? '(standard input)'}:${l}` : l);
  }
  // BusyBox: 2 when a file could not be read (even with lines found), unless -q found one.
  const code = err ? 2 : hits.length ? 0 : 1;
  if (quiet) return { stdout: '', stderr: '', code: hits.length ? 0 : err ? 2 : 1 };
  if (count) return { stdout: `${hits.length}\n`, stderr: err, code };
  return { stdout: hits.map((l) => `${l}\n`).join(''), stderr: err, code };
}

function sed(ctx: EsxiContext, args: string[], stdin: string): Output {
  let inPlace = false;
  let extended = false;
  const scripts: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-i') inPlace = true;
    else if (a === '-E' || a === '-r') extended = true;
    else if (a === '-e') scripts.push(args[++i] ?? '');
    else if (scripts.length === 0 && !a.startsWith('-')) scripts.push(a);
    else files.push(a);
  }
  const subs: { re: RegExp; to: string }[] = [];
  for (const s of scripts) {
    const m = /^s(.)(.*)$/s.exec(s);
    if (!m) return { stdout: '', stderr: `sed: unsupported command ${s}\n`, code: 1 };
    const d = m[1]!;
    const parts = splitSed(m[2]!, d);
    if (!parts) return { stdout: '', stderr: `sed: unmatched '${d}'\n`, code: 1 };
    try {
      subs.push({
        re: new RegExp(breToJs(parts[0], extended), parts[2].includes('g') ? 'gu' : 'u'),
        to: parts[1]
          .replace(/\$/g, '$$$$')
          .replace(/\\([0-9])/g, '$$$1')
          .replace(/&/g, '$$&')
          .replace(/\\(.)/g, '$1'),
      });
    } catch {
      return { stdout: '', stderr: `sed: bad regex '${parts[0]}'\n`, code: 1 };
    }
  }
  const apply = (text: string): string =>
    text
      .split('\n')
      .map((l) => subs.reduce((acc, s) => acc.replace(s.re, s.to), l))
      .join('\n');
  if (files.length === 0) return { stdout: apply(stdin), stderr: '', code: 0 };
  let out = '';
  for (const f of files) {
    const t = ctx.fs.read(f);
    if (t === null) return { stdout: out, stderr: `sed: ${f}: No such file or directory\n`, code: 1 };
    if (inPlace) {
      const why = ctx.fs.write(f, apply(t), false);
      if (why) return { stdout: '', stderr: `sed: can't create '${f}': ${why}\n`, code: 1 };
      ctx.changed();
    } else out += apply(t);
  }
  return { stdout: out, stderr: '', code: 0 };
}

function splitSed(body: string, d: string): [string, string, string] | null {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      const n = body[i + 1]!;
      cur += n === d ? n : `\\${n}`;
      i++;
    } else if (c === d && parts.length < 2) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (parts.length < 2) return null;
  return [parts[0]!, parts[1]!, cur];
}

function test(ctx: EsxiContext, a: string[]): boolean {
  if (a[0] === '!') return !test(ctx, a.slice(1));
  if (a.length === 0) return false;
  if (a.length === 1) return a[0] !== '';
  if (a.length === 2) {
    const [op, x] = a as [string, string];
    switch (op) {
      case '-e':
        return ctx.fs.read(x) !== null || ctx.fs.isDir(x);
      case '-f':
      case '-r':
        return ctx.fs.read(x) !== null && !ctx.fs.isDir(x);
      case '-s':
        return (ctx.fs.read(x) ?? '') !== '';
      case '-d':
        return ctx.fs.isDir(x);
      case '-w': {
        const r = ctx.fs.resolve(x);
        return r.kind === 'volume' ? r.writable && r.files[r.rel] !== undefined : r.kind === 'tmp';
      }
      case '-n':
        return x !== '';
      case '-z':
        return x === '';
      default:
        return false;
    }
  }
  const [l, op, r] = a as [string, string, string];
  switch (op) {
    case '=':
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '-eq':
      return Number(l) === Number(r);
    case '-ne':
      return Number(l) !== Number(r);
    case '-lt':
      return Number(l) < Number(r);
    case '-le':
      return Number(l) <= Number(r);
    case '-gt':
      return Number(l) > Number(r);
    case '-ge':
      return Number(l) >= Number(r);
    default:
      return false;
  }
}

function echo(args: string[]): Output {
  let newline = true;
  let escapes = false;
  while (args[0] === '-n' || args[0] === '-e') {
    if (args[0] === '-n') newline = false;
    else escapes = true;
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return { stdout: text + (newline ? '\n' : ''), stderr: '', code: 0 };
}

function printf(args: string[]): string {
  const [fmt = '', ...rest] = args;
  let i = 0;
  let out = '';
  do {
    out += fmt
      .replace(/\\n/g, '\n')
      .replace(/\\t/g, '\t')
      .replace(/%%|%[sd]/g, (m) => (m === '%%' ? '%' : (rest[i++] ?? (m === '%d' ? '0' : ''))));
  } while (i < rest.length && /%[sd]/.test(fmt));
  return out;
}

function mv(ctx: EsxiContext, args: string[]): Output {
  const files = args.filter((a) => a !== '-f');
  if (files.length !== 2) return { stdout: '', stderr: 'mv: need SOURCE and DEST\n', code: 1 };
  const [from, to] = files as [string, string];
  const text = ctx.fs.read(from);
  if (text === null) return { stdout: '', stderr: `mv: can't rename '${from}': No such file or directory\n`, code: 1 };
  const why = ctx.fs.write(to, text, false) ?? ctx.fs.remove(from);
  if (why) return { stdout: '', stderr: `mv: can't rename '${from}': ${why}\n`, code: 1 };
  ctx.changed();
  return { stdout: '', stderr: '', code: 0 };
}
