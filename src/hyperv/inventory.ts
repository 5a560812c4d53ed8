/**
 * `drbook inventory show|diff|export` for Hyper-V captures: the same views as vSphere's, over the
 * Hyper-V shape (nodes, CSVs, VMs with their node, storage kind, role and backup picture).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { formatTable } from '../text/table.js';
import type { CommandMessages } from '../i18n/commands.js';
import { hvFindingText, type HypervMessages } from '../i18n/hyperv.js';
import { csvField, exportTimestamp, writePrivate, type ExportedFiles } from '../inventory/export.js';
import type { HvCapture, HvCapturedVm } from './capture.js';

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sorted = (vms: readonly HvCapturedVm[]) => [...vms].sort((a, b) => byCodeUnits(a.name, b.name) || byCodeUnits(a.id, b.id));
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A Hyper-V capture's entry in the captures table is recognised by its body. */
export function isHypervCapture(c: unknown): c is HvCapture {
  return typeof c === 'object' && c !== null && (c as { platform?: unknown }).platform === 'hyperv';
}

export async function renderHvCapture(c: HvCapture, cm: CommandMessages, m: HypervMessages): Promise<string> {
  const lines = [
    cm.showTitle({ id: c.id, site: c.site, takenAt: c.takenAt, version: c.drbookVersion }),
    m.invCluster({ cluster: c.cluster }),
    '',
  ];
  lines.push(
    formatTable(
      [m.invColNode, cm.colReachable, cm.colNote],
      c.nodes.map((n) => [n.name, n.reachable ? cm.yes : cm.no, n.error ?? '']),
    ),
  );
  if (c.csvs.length > 0) {
    lines.push('');
    lines.push(
      formatTable(
        [m.invColCsv, m.invColPath, m.invColState, m.invColOwner],
        c.csvs.map((v) => [v.name, v.path, v.state + (v.redirectedAccess ? ` (${m.invRedirected})` : ''), v.ownerNode]),
      ),
    );
  }
  lines.push('');
  lines.push(
    formatTable(
      [cm.colName, m.invColNode, m.invColState, m.invColStorage, m.invColRole, cm.colJob, m.invColLastGood, m.invColConfig],
      sorted(c.vms).map((v) => [
        v.name,
        v.node,
        v.state,
        v.storage,
        v.group ?? '-',
        v.backup.job ?? '-',
        iso(v.backup.lastSuccess) ?? m.invNever,
        v.configFile,
      ]),
    ),
  );
  lines.push(cm.vmCount({ count: c.vms.length }));
  const findings = c.audit.findings;
  lines.push('');
  if (findings.length === 0) lines.push(cm.noFindings);
  else {
    lines.push(cm.findingsHeading({ count: findings.length }));
    lines.push(
      formatTable(
        [cm.colSeverity, cm.colCode, cm.colMessage],
        findings.map((f) => [m.severity[f.severity], f.code, hvFindingText(m, f)]),
      ),
    );
  }
  return lines.join('\n');
}

export interface HvCaptureDiff {
  from: string;
  to: string;
  added: HvCapturedVm[];
  removed: HvCapturedVm[];
  /** Same VM ID, another name. */
  renamed: { from: string; to: string; vm: HvCapturedVm }[];
  /** Same VM ID, another node or configuration file. */
  moved: { vm: HvCapturedVm; from: { node: string; configFile: string }; to: { node: string; configFile: string } }[];
}

/** VMs are matched by their VM ID, which Import-VM -Register keeps. */
export function diffHvCaptures(a: HvCapture, b: HvCapture): HvCaptureDiff {
  const before = new Map(a.vms.map((v) => [v.id, v]));
  const after = new Map(b.vms.map((v) => [v.id, v]));
  const d: HvCaptureDiff = { from: a.id, to: b.id, added: [], removed: [], renamed: [], moved: [] };
  for (const v of sorted(b.vms)) {
    const old = before.get(v.id);
    if (!old) d.added.push(v);
    else {
      if (old.name !== v.name) d.renamed.push({ from: old.name, to: v.name, vm: v });
      if (old.node !== v.node || old.configFile !== v.configFile)
        d.moved.push({ vm: v, from: { node: old.node, configFile: old.configFile }, to: { node: v.node, configFile: v.configFile } });
    }
  }
  for (const v of sorted(a.vms)) if (!after.has(v.id)) d.removed.push(v);
  return d;
}

export async function renderHvDiff(a: HvCapture, b: HvCapture, d: HvCaptureDiff, cm: CommandMessages, m: HypervMessages): Promise<string> {
  const arrow = (x: string, y: string) => (x === y ? y : `${x} → ${y}`);
  const rows: string[][] = [
    ...d.renamed.map((r) => [cm.changeRenamed, `${r.from} → ${r.to}`, r.vm.node, r.vm.configFile]),
    ...d.moved.map((mv) => [cm.changeMoved, mv.vm.name, arrow(mv.from.node, mv.to.node), arrow(mv.from.configFile, mv.to.configFile)]),
    ...d.added.map((v) => [cm.changeAdded, v.name, v.node, v.configFile]),
    ...d.removed.map((v) => [cm.changeRemoved, v.name, v.node, v.configFile]),
  ];
  const out = [cm.diffTitle({ from: a.id, fromAt: a.takenAt, to: b.id, toAt: b.takenAt })];
  if (rows.length === 0) out.push(cm.noChanges);
  else out.push(formatTable([cm.colChange, cm.colVm, m.invColNode, m.invColConfig], rows));
  return out.join('\n');
}

export function hvCaptureToYaml(c: HvCapture): string {
  const doc = {
    id: c.id,
    site: c.site,
    platform: c.platform,
    cluster: c.cluster,
    takenAt: c.takenAt,
    drbookVersion: c.drbookVersion,
    nodes: c.nodes,
    csvs: c.csvs,
    clusterDisks: c.clusterDisks,
    vms: sorted(c.vms).map((v) => ({
      ...v,
      backup: { ...v.backup, lastSuccess: iso(v.backup.lastSuccess), lastFailure: iso(v.backup.lastFailure) },
    })),
    backupRead: c.backupRead,
    audit: c.audit,
  };
  // As for vSphere: every string double-quoted on one line, never folded (names byte for byte).
  return `# drbook inventory of Hyper-V site ${c.site}, capture ${c.id}, taken ${c.takenAt}\n${stringify(doc, { lineWidth: 0, minContentWidth: 0, aliasDuplicateObjects: false, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' })}`;
}

export const HV_CSV_COLUMNS = [
  'name',
  'VM ID',
  'node',
  'state',
  'storage',
  'role',
  'configuration file',
  'backup job',
  'last successful backup',
  'last failed backup',
] as const;

export function hvCaptureToCsv(c: HvCapture): string {
  const rows: string[][] = [[...HV_CSV_COLUMNS]];
  for (const v of sorted(c.vms)) {
    rows.push([
      v.name,
      v.id,
      v.node,
      v.state,
      v.storage,
      v.group ?? '',
      v.configFile,
      v.backup.job ?? '',
      iso(v.backup.lastSuccess) ?? '',
      iso(v.backup.lastFailure) ?? '',
    ]);
  }
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** `<timestamp>.yaml/.csv` and `latest.yaml/.csv` in `dir`, mode 0600, as for vSphere. */
export function exportHvCapture(c: HvCapture, dir: string): ExportedFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = exportTimestamp(c.takenAt);
  const yaml = hvCaptureToYaml(c);
  const csv = hvCaptureToCsv(c);
  const files: ExportedFiles = {
    yaml: path.join(dir, `${stamp}.yaml`),
    latestYaml: path.join(dir, 'latest.yaml'),
    csv: path.join(dir, `${stamp}.csv`),
    latestCsv: path.join(dir, 'latest.csv'),
  };
  for (const [file, text] of [
    [files.yaml, yaml],
    [files.latestYaml!, yaml],
    [files.csv, csv],
    [files.latestCsv!, csv],
  ] as const)
    writePrivate(file, text);
  return files;
}
