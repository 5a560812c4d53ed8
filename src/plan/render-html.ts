/**
 * The procedure as one self-contained HTML page made to be printed: A4, each major section on a
 * new page, commands in monospace that wrap anywhere rather than run off the page, table headers
 * repeated on every printed page, and check boxes drawn with borders so they print on any printer.
 * Every text that comes from outside (names, paths, device output) is escaped.
 */
import { planMessages, type PlanMessages } from '../i18n/plan.js';
import { escapeControl } from '../text/control.js';
import { escapeHtml } from '../text/html.js';
import type { PlanCommand, AnyPlanDocument, PlanStep } from './model.js';
import { deviceLabel, vmTable, type VmCell, type VmCellKind } from './render-md.js';

/** Control characters other than newline and tab made visible, so they cannot hide in a printed cell. */
const e = (s: string): string => escapeHtml(escapeControl(s, '\n\t'));
/** In a table cell or a title a newline is shown as `\n`, never as a line break. */
const cell = (s: string): string => escapeHtml(escapeControl(s));

/** A name's own leading and trailing blanks would vanish on paper: each is shown as ␣. */
const edges = (s: string): string => cell(s).replace(/^ +| +$/g, (sp) => `<span class="ws" title="space">${'␣'.repeat(sp.length)}</span>`);

/**
 * A command, escaped, wrapping where a reader expects it: a browser also breaks after a hyphen, so
 * `-fields` could print as `-` at the end of one line and `fields` on the next; a word with a
 * hyphen that fits on a line is kept whole. Longer words wrap after `,` and `/`, keeping the
 * hyphenated pieces between them whole.
 */
function commandText(s: string): string {
  return s
    .split(/( +)/)
    .map((w) => {
      if (w === '') return w;
      // Every blank of a command carries a faint dot: a blank where the line wraps stays visible on paper.
      if (w.startsWith(' ')) return `<span class="sp">${w}</span>`;
      if (w.length <= KEEP_WHOLE) return w.includes('-') ? `<span class="nb">${e(w)}</span>` : e(w);
      // A long word (a field list, a path): the same, piece by piece between `,` and `/`.
      return w
        .split(/(?<=[,/])/)
        .map((piece) => (piece.includes('-') && piece.length <= KEEP_WHOLE ? `<span class="nb">${e(piece)}</span>` : e(piece)))
        .join('<wbr>');
    })
    .join('');
}

/** Characters of a command word that always fit on one printed line (9pt monospace on A4). */
const KEEP_WHOLE = 60;

/**
 * Device output keeps its columns only on unwrapped lines: a wide example gets a smaller font so
 * its longest line fits the printed width (182 mm of text, a monospace glyph is 0.6 em wide).
 */
function exampleStyle(text: string): string {
  const longest = Math.max(1, ...text.split('\n').map((l) => l.length));
  const pt = Math.min(7.5, 182 / (0.61 * longest) / 0.3528);
  return pt < 7.5 ? ` style="font-size:${Math.max(pt, 5).toFixed(2)}pt"` : '';
}

const BOX = '<span class="box" aria-hidden="true"></span>';

const CSS = `
@page { size: A4; margin: 14mm 12mm 16mm 12mm; }
@page { @bottom-right { content: counter(page) " / " counter(pages); font: 8pt sans-serif; color: #555; } }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans", "DejaVu Sans", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Noto Color Emoji", sans-serif; font-size: 10pt; line-height: 1.45; color: #000; margin: 0 auto; max-width: 186mm; }
html:lang(ja) body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", "Noto Sans", "Noto Color Emoji", sans-serif; line-break: strict; }
h1 { font-size: 17pt; margin: 0 0 1mm; }
h2 { font-size: 13.5pt; margin: 0 0 3mm; padding-bottom: 1mm; border-bottom: 1.5pt solid #000; }
h3 { font-size: 11pt; margin: 5mm 0 1.5mm; display: flex; gap: 2mm; align-items: baseline; break-after: avoid; }
.subtitle { margin: 0 0 4mm; color: #333; }
section.major { break-before: page; }
section.first { break-before: auto; }
p { margin: 0 0 2mm; orphans: 3; widows: 3; }
code, pre, .mono { font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK JP", "Noto Sans Mono", "Noto Color Emoji", monospace; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0 0 2mm; }
pre.cmd { font-size: 9pt; background: #f1f1f1; border-left: 2pt solid #000; padding: 1.5mm 2mm; }
pre.out { font-size: 7.5pt; border: 0.5pt dashed #777; padding: 1.5mm 2mm; color: #222; }
pre.type { font-size: 11pt; font-weight: bold; border: 1pt solid #000; padding: 1.5mm 2mm; display: inline-block; min-width: 60mm; }
.command { break-inside: avoid; margin: 0 0 3mm; }
.device { font-size: 8.5pt; font-weight: bold; margin: 0 0 0.5mm; }
.expect { font-size: 9pt; }
.label { font-weight: bold; }
.step { margin-bottom: 4mm; }
.confirm { border: 1.5pt solid #000; padding: 2mm 3mm; margin: 0 0 3mm; break-inside: avoid; }
.warnings { border: 1.5pt solid #000; padding: 2mm 3mm; margin: 3mm 0; }
.warnings ul { margin: 1mm 0; padding-left: 5mm; }
ul.checklist { list-style: none; padding-left: 0; }
ul.checklist li { display: flex; gap: 2mm; margin-bottom: 1.5mm; break-inside: avoid; }
.box { display: inline-block; flex: none; width: 3.6mm; height: 3.6mm; border: 0.8pt solid #000; background: #fff; vertical-align: -0.6mm; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.5pt solid #555; padding: 1mm 1.2mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: #e6e6e6; font-size: 8pt; overflow-wrap: normal; word-break: normal; hyphens: manual; }
.ws { color: #777; }
.nb { white-space: nowrap; }
.sp { background-image: radial-gradient(circle, #8a8a8a 0.45pt, transparent 0.6pt); background-size: 1ch 100%; background-repeat: repeat-x; background-position: left center; }
table.vms { table-layout: fixed; font-size: 8pt; }
table.vms td.path, table.vms td.name { font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK JP", "Noto Color Emoji", monospace; font-size: 7.5pt; }
table.vms td.done { text-align: center; }
table.meta { table-layout: fixed; font-size: 9pt; }
table.meta th { width: 38mm; background: #f3f3f3; font-size: 9pt; }
@media screen { body { padding: 10mm; } }
`;

function command(m: PlanMessages, c: PlanCommand, showDevice: boolean): string {
  const parts: string[] = [];
  if (c.text) parts.push(`<p>${e(c.text)}</p>`);
  parts.push(
    `<div class="command">${showDevice ? `<div class="device">${e(deviceLabel(m, c))}</div>` : ''}<pre class="cmd">${commandText(c.line)}</pre>`,
  );
  if (c.expect) parts.push(`<p class="expect"><span class="label">${e(m.labelExpect)}</span> ${e(c.expect)}</p>`);
  parts.push('</div>');
  if (c.example) {
    parts.push(
      `<div class="command"><p class="expect">${e(m.labelExample({ command: c.example.command }))}</p><pre class="out"${exampleStyle(c.example.text)}>${e(c.example.text === '' ? ' ' : c.example.text)}</pre></div>`,
    );
  }
  return parts.join('\n');
}

function step(m: PlanMessages, s: PlanStep): string {
  const out: string[] = [`<div class="step" id="${escapeHtml(s.id)}">`, `<h3>${BOX}<span>${edges(s.title)}</span></h3>`];
  for (const t of s.text) out.push(`<p>${e(t)}</p>`);
  if (s.confirm) {
    out.push(
      `<div class="confirm"><p>${e(s.confirm.text)}</p><p class="label">${e(m.labelType)}</p><pre class="type">${e(s.confirm.type)}</pre></div>`,
    );
  }
  if (s.checklist) {
    out.push(`<p class="label">${e(m.labelChecklist)}</p><ul class="checklist">`);
    for (const item of s.checklist) out.push(`<li>${BOX}<span>${e(item)}</span></li>`);
    out.push('</ul>');
  }
  // The device is named above the first command and wherever it changes.
  s.commands.forEach((c, i) => {
    const prev = s.commands[i - 1];
    out.push(command(m, c, !prev || prev.target !== c.target || prev.device !== c.device));
  });
  out.push('</div>');
  return out.join('\n');
}

function vmCell(c: VmCell, kind: VmCellKind): string {
  if (kind === 'done') return `<td class="done">${BOX}</td>`;
  if (kind === 'name') return `<td class="name">${edges(c.text)}${c.mark ? ` ${e(c.mark)}` : ''}</td>`;
  return kind === 'path' ? `<td class="path">${cell(c.text)}</td>` : `<td>${cell(c.text)}</td>`;
}

export function renderHtml(doc: AnyPlanDocument): string {
  const m = planMessages(doc.lang);
  const out: string[] = [
    '<!DOCTYPE html>',
    `<html lang="${doc.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="drbook ${escapeHtml(doc.drbookVersion)}">`,
    `<title>${cell(doc.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<section class="first">',
    `<h1>${cell(doc.title)}</h1>`,
    `<p class="subtitle">${e(doc.subtitle)}</p>`,
    '<table class="meta"><tbody>',
    ...doc.header.map((h) => `<tr><th scope="row">${e(h.label)}</th><td>${cell(h.value)}</td></tr>`),
    '</tbody></table>',
    `<div class="warnings"><p class="label">${e(m.warningsTitle)}</p>`,
  ];
  if (doc.warnings.length === 0) out.push(`<p>${e(m.noWarnings)}</p>`);
  else {
    out.push('<ul>');
    for (const w of doc.warnings) out.push(`<li><strong>${e(w)}</strong></li>`);
    out.push('</ul>');
    if (doc.findingLines.length) {
      out.push('<ul>');
      for (const f of doc.findingLines) out.push(`<li>${cell(f)}</li>`);
      out.push('</ul>');
    }
  }
  out.push('</div>');
  out.push(`<h2>${e(m.howTitle)}</h2><ul>`);
  for (const h of doc.how) out.push(`<li>${e(h)}</li>`);
  out.push(`<li>${e(m.howDots)}</li>`);
  out.push('</ul>');
  if (doc.placeholders.length > 0) {
    out.push(`<p class="label">${e(m.placeholdersTitle)}</p>`, '<table class="meta"><tbody>');
    for (const p of doc.placeholders) out.push(`<tr><th scope="row"><code>${escapeHtml(p.name)}</code></th><td>${e(p.meaning)}</td></tr>`);
    out.push('</tbody></table>');
  }
  // A procedure that changes no VM (reprotect) says so in a sentence, with no page, heading or table of its own.
  const table = vmTable(m, doc);
  if (table.rows.length === 0) {
    for (const t of doc.vmText) out.push(`<p>${e(t)}</p>`);
    out.push('</section>');
  } else {
    out.push('</section>', '<section class="major" id="vms">', `<h2>${e(m.vmTableTitle)}</h2>`);
    for (const t of doc.vmText) out.push(`<p>${e(t)}</p>`);
    out.push(
      '<table class="vms">',
      `<colgroup>${table.columns.map((c) => (c.mm === undefined ? '<col>' : `<col style="width:${c.mm}mm">`)).join('')}</colgroup>`,
      '<thead><tr>',
      ...table.columns.map((c) => `<th scope="col">${e(c.title)}</th>`),
      '</tr></thead>',
      '<tbody>',
      ...table.rows.map((row) => `<tr>${row.map((c, i) => vmCell(c, table.columns[i]!.kind)).join('')}</tr>`),
      '</tbody></table>',
      '</section>',
    );
  }

  for (const s of doc.sections) {
    out.push(`<section class="major" id="${escapeHtml(s.id)}">`, `<h2>${e(s.title)}</h2>`);
    for (const t of s.text) out.push(`<p>${e(t)}</p>`);
    for (const st of s.steps) out.push(step(m, st));
    out.push('</section>');
  }
  out.push('</body>', '</html>', '');
  return out.join('\n');
}
