/**
 * The procedure as Markdown (CommonMark + GFM tables). Sentences and names are escaped so a VM
 * name cannot become markup; commands and device output go into fenced blocks verbatim, with a
 * fence longer than any backtick run inside them.
 */
import { planMessages, type PlanMessages } from '../i18n/plan.js';
import { escapeControl } from '../text/control.js';
import { isWayBackPlan, type AnyPlanDocument, type PlanCommand, type PlanStep, type PlanVmRow } from './model.js';

/**
 * Text that Markdown shows as it is, escaped only where Markdown would read markup, so a printed
 * plan reads `0.1.0` and `[ds_vm1]`, not `0\.1.0` and `\[ds\_vm1\]`: `_` only at a word's edge
 * (GFM never emphasises inside a word), `[`/`]` only where they could make a link, `~` in pairs,
 * `&` before an entity, and a line start only where it would begin a list or a heading.
 */
export function mdText(s: string): string {
  const t = escapeControl(s)
    .replace(/[\\`*<>|]/g, (c) => `\\${c}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/~~/g, '\\~\\~')
    .replace(/_+/g, (run: string, at: number, all: string) =>
      /[\p{L}\p{N}]/u.test(all[at - 1] ?? '') && /[\p{L}\p{N}]/u.test(all[at + run.length] ?? '') ? run : run.replace(/_/g, '\\_'),
    )
    .replace(/\[(?=[^\]]*\]\s*[([:])/g, '\\[')
    .replace(/\](?=\s*[([:])/g, '\\]');
  return t.replace(/^([-+]|#{1,6})(?=\s|$)/, '\\$1').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2');
}

/** A name's own leading and trailing blanks would vanish in a table cell or heading: each is shown as ␣. */
export function edges(s: string): string {
  return mdText(s).replace(/^ +| +$/g, (sp) => '␣'.repeat(sp.length));
}

/** A fenced block holding `text` verbatim. */
export function mdFence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((r) => r[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text.endsWith('\n') ? text : `${text}\n`}${fence}`;
}

export function deviceLabel(m: PlanMessages, c: PlanCommand): string {
  return c.device === 'esxi'
    ? m.labelEsxi({ host: c.target })
    : c.device === 'ontap'
      ? m.labelOntap({ cluster: c.target })
      : c.device === 'hyperv'
        ? m.labelHyperv({ node: c.target })
        : c.device === 'vcenter'
          ? m.labelVcenter
          : m.labelLocal;
}

/** How a cell of the VM table prints: a check box, a VM's name (its edges shown), a datastore path, or text. */
export type VmCellKind = 'done' | 'name' | 'path' | 'text';

export interface VmCell {
  text: string;
  /** Said after a name (the vCenter VM's mark), in the document's words. */
  mark?: string;
}

/** A document's VM table: its columns (the printed width in mm of each, none: the rest) and its rows. */
export interface VmTable {
  columns: { title: string; kind: VmCellKind; mm?: number }[];
  rows: VmCell[][];
}

/**
 * The VM table as Markdown and HTML print it, one place for both: a failover's or a drill's VM
 * has a VSC job and a quiesce point; a Hyper-V VM a configuration file and a Backup Exec job; the
 * failback's VM where it runs now and where it comes back from.
 */
export function vmTable(m: PlanMessages, doc: AnyPlanDocument): VmTable {
  const done = { title: m.colDone, kind: 'done', mm: 10.5 } as const;
  const name = (v: { name: string; isVcenter: boolean }): VmCell =>
    v.isVcenter ? { text: v.name, mark: m.vcenterMark } : { text: v.name };
  const group = (v: { group: string | null; isVcenter: boolean }): VmCell => ({ text: v.group ?? (v.isVcenter ? '' : m.noGroup) });
  if (isWayBackPlan(doc)) {
    return {
      columns: [
        done,
        { title: m.colName, kind: 'name', mm: 28 },
        { title: m.colHost, kind: 'text', mm: 14 },
        { title: m.colRunsFrom, kind: 'path' },
        { title: m.colMirrorVmid, kind: 'text', mm: 13 },
        { title: m.colPower, kind: 'text', mm: 13 },
        { title: m.colReturnsTo, kind: 'path' },
        { title: m.colGroup, kind: 'text', mm: 20.5 },
      ],
      rows: doc.vms.map((v) => [
        { text: '' },
        name(v),
        { text: v.host },
        { text: v.runsFrom },
        { text: v.vmid },
        { text: powerWord(m, v.power) },
        { text: v.returnsTo },
        group(v),
      ]),
    };
  }
  const hv = doc.platform === 'hyperv';
  return {
    columns: [
      done,
      { title: m.colName, kind: 'name', mm: 30 },
      { title: m.colHost, kind: 'text', mm: 14 },
      { title: hv ? m.colConfigFile : m.colPath, kind: 'path' },
      { title: hv ? m.colVmId : m.colVmid, kind: 'text', mm: 11 },
      { title: m.colPower, kind: 'text', mm: 13 },
      { title: hv ? m.colBackupJob : m.colJob, kind: 'text', mm: 14 },
      { title: hv ? m.colConsistent : m.colQuiesced, kind: 'text', mm: 18 },
      { title: m.colGroup, kind: 'text', mm: 20.5 },
    ],
    rows: doc.vms.map((v) => [
      { text: '' },
      name(v),
      { text: v.host },
      { text: v.vmxPath },
      { text: v.vmid },
      { text: powerWord(m, v.power) },
      { text: v.job ?? m.noJob },
      { text: quiescedWord(m, v.quiescedInNewest) },
      group(v),
    ]),
  };
}

export function powerWord(m: PlanMessages, p: PlanVmRow['power']): string {
  return p === 'on' ? m.powerOn : p === 'off' ? m.powerOff : m.powerSuspended;
}

export function quiescedWord(m: PlanMessages, q: PlanVmRow['quiescedInNewest']): string {
  return q === 'yes' ? m.yes : q === 'no' ? m.no : m.notAudited;
}

function command(m: PlanMessages, c: PlanCommand, showDevice: boolean): string[] {
  const out: string[] = [];
  if (c.text) out.push(mdText(c.text), '');
  if (showDevice) out.push(`**${mdText(deviceLabel(m, c))}**`, '');
  out.push(mdFence(c.line), '');
  if (c.expect) out.push(`*${mdText(m.labelExpect)}* ${mdText(c.expect)}`, '');
  if (c.example) {
    out.push(`*${mdText(m.labelExample({ command: c.example.command }))}*`, '', mdFence(c.example.text), '');
  }
  return out;
}

function step(m: PlanMessages, s: PlanStep): string[] {
  const out = [`### ☐ ${edges(s.title)}`, ''];
  for (const t of s.text) out.push(mdText(t), '');
  if (s.confirm) {
    out.push(
      `> **${mdText(m.labelConfirm)}**`,
      '>',
      `> ${mdText(s.confirm.text)}`,
      '>',
      `> ${mdText(m.labelType)}`,
      '',
      mdFence(s.confirm.type),
      '',
    );
  }
  if (s.checklist) {
    out.push(`**${mdText(m.labelChecklist)}**`, '');
    for (const item of s.checklist) out.push(`- ☐ ${mdText(item)}`);
    out.push('');
  }
  // The device is named above the first command and wherever it changes.
  s.commands.forEach((c, i) => {
    const prev = s.commands[i - 1];
    out.push(...command(m, c, !prev || prev.target !== c.target || prev.device !== c.device));
  });
  return out;
}

export function renderMarkdown(doc: AnyPlanDocument): string {
  const m = planMessages(doc.lang);
  const out: string[] = [`# ${mdText(doc.title)}`, '', mdText(doc.subtitle), ''];
  for (const h of doc.header) out.push(`- **${mdText(h.label)}:** ${mdText(h.value)}`);
  out.push('', `## ${mdText(m.warningsTitle)}`, '');
  if (doc.warnings.length === 0) out.push(mdText(m.noWarnings), '');
  for (const w of doc.warnings) out.push(`- **${mdText(w)}**`);
  for (const f of doc.findingLines) out.push(`  - ${mdText(f)}`);
  if (doc.warnings.length) out.push('');

  out.push(`## ${mdText(m.howTitle)}`, '');
  for (const h of doc.how) out.push(`- ${mdText(h)}`);
  out.push('');
  // A procedure without values to read (Hyper-V's) has no such list.
  if (doc.placeholders.length > 0) {
    out.push(`**${mdText(m.placeholdersTitle)}**`, '');
    for (const p of doc.placeholders) out.push(`- \`${p.name}\`: ${mdText(p.meaning)}`);
    out.push('');
  }

  // A procedure that changes no VM (reprotect) says so in a sentence, with no heading or table of its own.
  const table = vmTable(m, doc);
  if (table.rows.length > 0) {
    out.push(`## ${mdText(m.vmTableTitle)}`, '');
    for (const t of doc.vmText) out.push(mdText(t), '');
    out.push(`| ${table.columns.map((c) => mdText(c.title)).join(' | ')} |`, `|${table.columns.map(() => '---').join('|')}|`);
    for (const row of table.rows) {
      const cells = row.map((c, i) => {
        const kind = table.columns[i]!.kind;
        if (kind === 'done') return '☐';
        if (kind === 'name') return c.mark ? `${edges(c.text)} ${mdText(c.mark)}` : edges(c.text);
        return mdText(c.text);
      });
      out.push(`| ${cells.join(' | ')} |`);
    }
    out.push('');
  } else for (const t of doc.vmText) out.push(mdText(t), '');

  for (const s of doc.sections) {
    out.push(`## ${mdText(s.title)}`, '');
    for (const t of s.text) out.push(mdText(t), '');
    for (const st of s.steps) out.push(...step(m, st));
  }
  // No whitespace clean-up over the whole text: it would reach into the verbatim blocks.
  return `${out.join('\n').trimEnd()}\n`;
}
