/**
 * The procedure as Markdown (CommonMark + GFM tables). Sentences and names are escaped so a VM
 * name cannot become markup; commands and device output go into fenced blocks verbatim, with a
 * fence longer than any backtick run inside them.
 */
import { planMessages, type PlanMessages } from '../i18n/plan.js';
import { escapeControl } from '../text/control.js';
import type { PlanCommand, AnyPlanDocument, PlanStep, PlanVmRow } from './model.js';

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

/** The VM table's column titles: a Hyper-V VM has a configuration file, a VM ID and a Backup Exec job. */
export function vmColumns(m: PlanMessages, doc: Pick<AnyPlanDocument, 'platform'>): string[] {
  return doc.platform === 'hyperv'
    ? [m.colDone, m.colName, m.colHost, m.colConfigFile, m.colVmId, m.colPower, m.colBackupJob, m.colConsistent, m.colGroup]
    : [m.colDone, m.colName, m.colHost, m.colPath, m.colVmid, m.colPower, m.colJob, m.colQuiesced, m.colGroup];
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

  out.push(`## ${mdText(m.vmTableTitle)}`, '');
  for (const t of doc.vmText) out.push(mdText(t), '');
  const cols = vmColumns(m, doc);
  // A procedure that changes no VM (reprotect) says so in its text and prints no empty table.
  if (doc.vms.length > 0) out.push(`| ${cols.map(mdText).join(' | ')} |`, `|${cols.map(() => '---').join('|')}|`);
  for (const v of doc.vms) {
    const cells = [
      '☐',
      v.isVcenter ? `${v.name} ${m.vcenterMark}` : v.name,
      v.host,
      v.vmxPath,
      v.vmid,
      powerWord(m, v.power),
      v.job ?? m.noJob,
      quiescedWord(m, v.quiescedInNewest),
      v.group ?? (v.isVcenter ? '' : m.noGroup),
    ];
    out.push(`| ${cells.map((c, i) => (i === 0 ? c : i === 1 ? edges(c) : mdText(c))).join(' | ')} |`);
  }
  out.push('');

  for (const s of doc.sections) {
    out.push(`## ${mdText(s.title)}`, '');
    for (const t of s.text) out.push(mdText(t), '');
    for (const st of s.steps) out.push(...step(m, st));
  }
  // No whitespace clean-up over the whole text: it would reach into the verbatim blocks.
  return `${out.join('\n').trimEnd()}\n`;
}
