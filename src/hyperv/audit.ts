/**
 * The Hyper-V audit: which VMs have no usable backup, and which could not fail over. A VM on a
 * CSV whose backups fail (or whose backup method is declared unable to snapshot CSVs) is the case
 * the backup product hides behind one failed job: it is named VM by VM.
 */
import type { HvCapture } from './capture.js';

export type HvFindingCode =
  | 'degraded-capture'
  | 'csv-vss-backup'
  | 'no-backup-within-rpo'
  | 'files-on-several-volumes'
  | 'role-not-ha'
  | 'not-clustered'
  | 'node-unreachable'
  | 'backup-unreadable';

export interface HvFinding {
  code: HvFindingCode;
  severity: 'error' | 'warning';
  vm?: string;
  node?: string;
  /** The facts the sentence is built from (the catalogues in src/i18n/hyperv.ts). */
  params: Record<string, string | number | null>;
}

export function auditHyperv(c: HvCapture, o: { rpoHours: number; csvSnapshots: boolean; hasBackup: boolean; now: number }): HvFinding[] {
  const out: HvFinding[] = [];
  for (const n of c.nodes)
    if (!n.reachable)
      out.push({
        code: 'node-unreachable',
        severity: 'error',
        node: n.name,
        params: { node: n.name, error: n.error ?? '', kept: n.carriedFrom ?? null },
      });
  if (c.backupRead && !c.backupRead.reachable)
    out.push({ code: 'backup-unreadable', severity: 'error', params: { error: c.backupRead.error ?? '' } });
  const rpoMs = o.rpoHours * 3_600_000;
  for (const vm of c.vms) {
    const onCsv = vm.volumes.some((v) => v.kind === 'csv');
    const b = vm.backup;
    const failing = b.lastFailure !== null && (b.lastSuccess === null || b.lastFailure > b.lastSuccess);
    if (onCsv && (failing || !o.csvSnapshots)) {
      out.push({
        code: 'csv-vss-backup',
        severity: 'error',
        vm: vm.name,
        params: {
          vm: vm.name,
          job: b.job,
          csv: vm.volumes.find((v) => v.kind === 'csv')!.path,
          error: failing ? b.lastError : null,
          declared: o.csvSnapshots ? 0 : 1,
        },
      });
    }
    if (o.hasBackup && (b.lastSuccess === null || o.now - b.lastSuccess > rpoMs)) {
      out.push({
        code: 'no-backup-within-rpo',
        severity: 'error',
        vm: vm.name,
        params: {
          vm: vm.name,
          rpoHours: o.rpoHours,
          lastSuccess: b.lastSuccess === null ? null : new Date(b.lastSuccess).toISOString(),
          job: b.job,
        },
      });
    }
    if (vm.volumes.length > 1) {
      out.push({
        code: 'files-on-several-volumes',
        severity: 'warning',
        vm: vm.name,
        params: { vm: vm.name, volumes: vm.volumes.map((v) => v.path).join(', ') },
      });
    }
    if (vm.group === null) {
      out.push({ code: 'not-clustered', severity: 'warning', vm: vm.name, params: { vm: vm.name, node: vm.node } });
    } else if (vm.volumes.some((v) => v.kind === 'local')) {
      out.push({
        code: 'role-not-ha',
        severity: 'warning',
        vm: vm.name,
        params: {
          vm: vm.name,
          group: vm.group,
          volumes: vm.volumes
            .filter((v) => v.kind === 'local')
            .map((v) => v.path)
            .join(', '),
        },
      });
    }
  }
  return out;
}
