import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files/atomic-write.js';
import { stringify } from 'yaml';
import { smviSnapshots } from './audit.js';
import type { Capture, CapturedHost, CapturedVm, CapturedVolume, CaptureAudit } from './types.js';

/**
 * The printable, diffable copies of a capture: YAML (every field, stable key order) and CSV (one
 * row per VM: what an engineer needs on paper the day nothing else works).
 */

const FILE_MODE = 0o600;

/** `2026-11-22T01:42:10.123Z` → `20261122T014210Z`. */
export function exportTimestamp(takenAt: string): string {
  const d = new Date(takenAt);
  if (Number.isNaN(d.getTime())) throw new Error(`capture time ${takenAt} is not a date`);
  return d
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function orderedHost(h: CapturedHost): Record<string, unknown> {
  return {
    name: h.name,
    reachable: h.reachable,
    ...(h.error !== undefined ? { error: h.error } : {}),
    ...(h.esxiVersion !== undefined ? { esxiVersion: h.esxiVersion } : {}),
    ...(h.build !== undefined ? { build: h.build } : {}),
    ...(h.lockdown !== undefined ? { lockdown: h.lockdown } : {}),
    nfs: h.nfs.map((n) => ({
      volumeName: n.volumeName,
      host: n.host,
      share: n.share,
      accessible: n.accessible,
      mounted: n.mounted,
      readOnly: n.readOnly,
    })),
    ...(h.carriedFrom !== undefined ? { carriedFrom: h.carriedFrom } : {}),
  };
}

function orderedVm(vm: CapturedVm): Record<string, unknown> {
  return {
    name: vm.name,
    vmid: vm.vmid,
    host: vm.host,
    datastore: vm.datastore,
    vmxDir: vm.vmxDir,
    vmxFile: vm.vmxFile,
    vmxPath: vm.vmxPath,
    guestOs: vm.guestOs,
    power: vm.power,
    uuidBios: vm.uuidBios,
    uuidLocation: vm.uuidLocation,
    annotation: vm.annotation,
    volume: vm.volume,
    isVcenter: vm.isVcenter,
    job: vm.job ?? null,
    ...(vm.carriedFrom !== undefined ? { carriedFrom: vm.carriedFrom } : {}),
    ...(vm.placement
      ? {
          placement: {
            datacenter: vm.placement.datacenter,
            cluster: vm.placement.cluster,
            host: vm.placement.host,
            folder: vm.placement.folder,
            resourcePool: vm.placement.resourcePool,
            portGroups: vm.placement.portGroups,
          },
        }
      : {}),
  };
}

function orderedVolume(v: CapturedVolume): Record<string, unknown> {
  return {
    path: v.path,
    role: v.role,
    relationships: v.relationships.map((r) => ({
      source: r.source,
      destination: r.destination,
      type: r.type,
      state: r.state,
      status: r.status,
      healthy: r.healthy,
      lagTime: r.lagTime,
    })),
    snapshots: v.snapshots.map((s) => ({ name: s.name, createTime: s.createTime })),
  };
}

function orderedAudit(a: CaptureAudit): Record<string, unknown> {
  return {
    vms: a.vms.map((v) => ({
      vm: v.vm,
      host: v.host,
      vmxPath: v.vmxPath,
      points: v.points.map((p) => ({
        snapshot: p.snapshot,
        job: p.job,
        quiesced: p.quiesced,
        ...(p.vmwareSnapshot
          ? { vmwareSnapshot: { name: p.vmwareSnapshot.name, id: p.vmwareSnapshot.id, createdAt: p.vmwareSnapshot.createdAt } }
          : {}),
        files: [...p.files],
      })),
    })),
    findings: a.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      ...(f.vm !== undefined ? { vm: f.vm } : {}),
      ...(f.host !== undefined ? { host: f.host } : {}),
      message: f.message,
      // The sentence's parameters, so the terminal can say it in the operator's language.
      ...(f.detail !== undefined ? { detail: { key: f.detail.key, params: { ...f.detail.params } } } : {}),
    })),
  };
}

/** VMs in a stable order (name, host, vmx path by code units) so two exports diff cleanly. */
export function sortedVms(vms: CapturedVm[]): CapturedVm[] {
  return [...vms].sort((a, b) => byCodeUnits(a.name, b.name) || byCodeUnits(a.host, b.host) || byCodeUnits(a.vmxPath, b.vmxPath));
}

export function captureToYaml(c: Capture): string {
  const doc = {
    id: c.id,
    site: c.site,
    takenAt: c.takenAt,
    drbookVersion: c.drbookVersion,
    hosts: c.hosts.map(orderedHost),
    vms: sortedVms(c.vms).map(orderedVm),
    volumes: c.volumes.map(orderedVolume),
    audit: orderedAudit(c.audit),
  };
  const header = `# drbook inventory of site ${c.site}, capture ${c.id}, taken ${c.takenAt}\n`;
  // Every string double-quoted on one line: a name like `yes`, `0123` or one with a newline reads
  // back as the same string in any YAML version (PyYAML is 1.1), and each value is one diff line.
  // lineWidth 0: never fold long names or paths.
  return (
    header +
    stringify(doc, {
      lineWidth: 0,
      minContentWidth: 0,
      aliasDuplicateObjects: false,
      defaultStringType: 'QUOTE_DOUBLE',
      defaultKeyType: 'PLAIN',
    })
  );
}

/** Whether the VM has a quiesce point in the newest backup of its job: 'yes', 'no', or 'n/a' (not audited). */
export function quiescedInNewest(c: Capture, vm: CapturedVm): 'yes' | 'no' | 'n/a' {
  const audit = c.audit.vms.find((a) => a.vm === vm.name && a.host === vm.host && a.vmxPath === vm.vmxPath);
  if (!audit) return 'n/a';
  if (!vm.job) return 'no';
  const mirror = c.volumes.find((v) => v.role === 'mirror');
  const snaps = smviSnapshots(mirror).filter((s) => s.job === vm.job);
  const newest = snaps.find((s) => s.recent) ?? snaps[0];
  return audit.points.some((p) => p.snapshot === newest?.name && p.quiesced) ? 'yes' : 'no';
}

export const CSV_COLUMNS = [
  'name',
  'host',
  'datastore',
  'vmx path',
  'power',
  'guest OS',
  'uuid.bios',
  'job',
  'quiesced in newest backup',
] as const;

/**
 * RFC 4180: quote a field holding a comma, quote, CR/LF or edge spaces; double inner quotes.
 * A field a spreadsheet would run as a formula (it starts with `= + - @`, a tab or a CR: OWASP's
 * CSV injection rule) gets a leading `'` and quotes, so a VM named `=HYPERLINK(…)` is printed, not
 * evaluated. The YAML copy keeps every name byte for byte.
 */
export function csvField(value: string): string {
  if (/^[=+\-@\t\r]/.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function captureToCsv(c: Capture): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const vm of sortedVms(c.vms)) {
    rows.push([vm.name, vm.host, vm.datastore, vm.vmxPath, vm.power, vm.guestOs, vm.uuidBios, vm.job ?? '', quiescedInNewest(c, vm)]);
  }
  // A BOM so that spreadsheet programs read UTF-8 (Japanese names) correctly; CRLF per RFC 4180.
  return `\uFEFF${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** Write atomically with mode 0600. */
export function writePrivate(file: string, text: string): void {
  writeFileAtomic(file, text, { mode: FILE_MODE });
}

export interface ExportedFiles {
  yaml: string;
  /** null: a degraded capture leaves latest.yaml and latest.csv as they were. */
  latestYaml: string | null;
  csv: string;
  latestCsv: string | null;
}

/** The export folder of a site under `root` (the database's folder): `<root>/<site>`. */
export function siteExportDir(root: string, site: string): string {
  // The name comes from the database; never let it climb out of the folder.
  if (!/^[A-Za-z0-9_.-]+$/.test(site) || site === '.' || site === '..')
    throw new Error(`site name ${JSON.stringify(site)} cannot be a folder name`);
  return path.join(root, site);
}

/**
 * Write `<timestamp>.yaml`, `latest.yaml`, `<timestamp>.csv`, `latest.csv` into `dir`. A degraded
 * capture (taken after the disaster) is written as `<timestamp>-degraded.*` only: the paper copy
 * (latest.*) keeps the last good inventory.
 */
export function exportCapture(c: Capture, dir: string): ExportedFiles {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stamp = `${exportTimestamp(c.takenAt)}${c.degraded ? '-degraded' : ''}`;
  const yaml = captureToYaml(c);
  const csv = captureToCsv(c);
  const files: ExportedFiles = {
    yaml: path.join(dir, `${stamp}.yaml`),
    latestYaml: c.degraded ? null : path.join(dir, 'latest.yaml'),
    csv: path.join(dir, `${stamp}.csv`),
    latestCsv: c.degraded ? null : path.join(dir, 'latest.csv'),
  };
  writePrivate(files.yaml, yaml);
  writePrivate(files.csv, csv);
  if (files.latestYaml) writePrivate(files.latestYaml, yaml);
  if (files.latestCsv) writePrivate(files.latestCsv, csv);
  return files;
}
