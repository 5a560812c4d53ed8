/**
 * The failover procedure of a site, from its site file and a capture: the steps of
 * runbooks/vsc-snapmirror-failover.yaml as src/failover/actions.ts carries them out, each with the
 * exact lines drbook sends (from the same builders EsxiOps and OntapOps use), what a correct
 * output looks like, and the confirmation points. Pure: nothing is sent, nothing is read but the
 * arguments.
 */
import { esxiCommands as esxi, placeholder, type NumArg } from '../adapters/esxi/commands.js';
import { ontapCommands as ontap } from '../adapters/ontap/commands.js';
import { groupIndexOf, primaryVmsOf, recoverTargetId, unknownPriorityNames, vcenterOf } from '../failover/context.js';
import { failoverMessages } from '../i18n/failover.js';
import { vmPoints } from '../failover/preflight.js';
import { vmfsPath } from '../failover/paths.js';
import { bestTarget, snapshotsNewerThan, vscBackups, type NetappSnapshot } from '../failover/vsc.js';
import type { Lang } from '../i18n/lang.js';
import { planMessages, type PlanMessages } from '../i18n/plan.js';
import { quiescedInNewest } from '../inventory/export.js';
import type { Capture, CapturedVm } from '../inventory/types.js';
import { splitVolumePath, type Site } from '../runbook/site.js';
import { shellLine } from '../transport/quote.js';
import { OUTPUT_EXAMPLES, type OutputExampleKey } from './examples.js';
import type { PlanCommand, PlanDocument, PlanSection, PlanStep, PlanVmRow } from './model.js';

export interface BuildPlanInput {
  site: Site;
  capture: Capture;
  lang: Lang;
  /** When the document is made (its header, the capture's age). */
  now: Date;
  drbookVersion: string;
}

/** A capture older than this gets a warning on the first page. */
export const STALE_CAPTURE_DAYS = 7;

const NEW_VMID = placeholder('NEW_VMID');
const SNAPSHOT_ID = placeholder('SNAPSHOT_ID');
const WORLD_ID = placeholder('WORLD_ID');
const QUESTION_ID = placeholder('QUESTION_ID');
const MOVED_CHOICE = placeholder('MOVED_CHOICE');
const VMID = placeholder('VMID');

/** `2026-11-22T01:42:10.123Z` → `2026-11-22 01:42:10 UTC`; unknown stays as given. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '?';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}


/** The snapshot the preflight would choose from what the capture saw (the same rule: src/failover/vsc.ts bestTarget). */
export function chosenSnapshot(site: Site, capture: Capture): { name: string; createTime: string | null; job: string; newer: string[]; known: boolean } {
  const mirror = capture.volumes.find((v) => v.path === site.relationship.destination) ?? capture.volumes.find((v) => v.role === 'mirror');
  const snapshots: NetappSnapshot[] = (mirror?.snapshots ?? []).map((s) => ({ name: s.name, createTime: s.createTime ?? null }));
  const backups = vscBackups(snapshots, site.jobs);
  const primaryVms = primaryVmsOf(site, capture);
  const points = vmPoints({ capture, primaryVms, vcenter: vcenterOf(site, primaryVms) });
  const ranked = bestTarget(points, snapshots, backups.filter((b) => b.recent));
  const best = ranked ? backups.find((b) => b.name === ranked.target.name) : undefined;
  if (!best) return { name: `smvi__${site.jobs[0]}_recent`, createTime: null, job: site.jobs[0]!, newer: [], known: false };
  return { name: best.name, createTime: best.createTime, job: best.job, newer: snapshotsNewerThan(snapshots, best).map((s) => s.name), known: true };
}

function vmidArg(vm: CapturedVm): NumArg {
  return /^\d+$/.test(vm.vmid) ? Number(vm.vmid) : VMID;
}

export function buildPlan(input: BuildPlanInput): PlanDocument {
  const { site, capture, lang, now } = input;
  const m: PlanMessages = planMessages(lang);
  const cluster = site.endpoints.ontap.name;
  const hosts = site.endpoints.esxi.map((e) => e.name);
  const src = splitVolumePath(site.relationship.source);
  const dst = splitVolumePath(site.relationship.destination);
  const primaryDs = site.datastores.primary.name;
  const mirrorDs = site.datastores.mirror.name;
  const killSeconds = site.timeouts.killVerifySeconds;
  const primaryVms = primaryVmsOf(site, capture);
  const vcenter = vcenterOf(site, primaryVms);
  const snap = chosenSnapshot(site, capture);
  const capturedHost = (h: string) => capture.hosts.find((x) => x.name === h);

  // Each real output example is shown once, under the first command it illustrates.
  const shown = new Set<OutputExampleKey>();
  const example = (key: OutputExampleKey): Pick<PlanCommand, 'example'> => {
    if (shown.has(key)) return {};
    shown.add(key);
    const e = OUTPUT_EXAMPLES[key];
    return { example: { command: e.command, fixture: e.fixture, text: e.text } };
  };
  // Sentences repeated for every VM are said in full the first time only; later steps keep the
  // commands, so the printed procedure stays short enough to carry.
  const said = new Set<string>();
  const once = (text: string): { expect?: string } => {
    if (said.has(text)) return {};
    said.add(text);
    return { expect: text };
  };
  const onHost = (host: string, line: string, rest: Omit<PlanCommand, 'target' | 'device' | 'line'> = {}): PlanCommand => ({
    target: host,
    device: 'esxi',
    line,
    ...rest,
  });
  const onCluster = (line: string, rest: Omit<PlanCommand, 'target' | 'device' | 'line'> = {}): PlanCommand => ({
    target: cluster,
    device: 'ontap',
    line,
    ...rest,
  });

  // ---- header ----------------------------------------------------------------------------------
  const ageMs = now.getTime() - Date.parse(capture.takenAt);
  const ageDays = Math.max(0, Math.floor(ageMs / 86_400_000));
  const warnings: string[] = [];
  if (ageMs > STALE_CAPTURE_DAYS * 86_400_000) warnings.push(m.warnOld({ days: ageDays }));
  for (const h of capture.hosts.filter((x) => !x.reachable)) {
    warnings.push(h.carriedFrom ? m.warnUnreachable({ host: h.name, from: h.carriedFrom }) : m.warnUnreachableNoData({ host: h.name }));
  }
  if (!snap.known) warnings.push(m.warnNoBackup({ mirror: site.relationship.destination }));
  if (site.jobs.length > 1) warnings.push(m.warnSeveralJobs({ jobs: site.jobs.join(', ') }));
  const findings = capture.audit.findings;
  // Said in the failover's words: the same sentence stops its preflight.
  for (const u of unknownPriorityNames(site, capture)) {
    const f = failoverMessages(lang);
    warnings.push(u.suggestion ? f.priorityUnknownClose({ ...u, suggestion: u.suggestion }) : f.priorityUnknown(u));
  }
  if (findings.length > 0) warnings.push(m.warnFindings({ count: findings.length }));

  const header = [
    { label: m.headerSite, value: site.site },
    { label: m.headerSiteFile, value: site.file },
    { label: m.headerCapture, value: m.captureValue({ id: capture.id, version: capture.drbookVersion }) },
    {
      label: m.headerCaptureTime,
      value: ageDays >= 1 ? m.captureAge({ time: formatTime(capture.takenAt), days: ageDays }) : m.captureAgeToday({ time: formatTime(capture.takenAt) }),
    },
    { label: m.headerGenerated, value: formatTime(now.toISOString()) },
    { label: m.headerVersion, value: input.drbookVersion },
    { label: m.headerRelationship, value: m.relationshipValue({ source: site.relationship.source, destination: site.relationship.destination }) },
    { label: m.headerDatastores, value: m.datastoresValue({ primary: primaryDs, mirror: mirrorDs }) },
    {
      label: m.headerSnapshot,
      value: snap.known ? m.snapshotValue({ name: snap.name, time: formatTime(snap.createTime) }) : m.snapshotUnknown({ name: snap.name }),
    },
  ];

  // ---- VM table --------------------------------------------------------------------------------
  const groupName = (vm: CapturedVm): string | null => {
    const i = groupIndexOf(site, vm);
    return i === undefined ? null : site.priorityGroups[i]!.name;
  };
  const hostOrder = (h: string): number => {
    const i = hosts.indexOf(h);
    return i < 0 ? hosts.length : i;
  };
  const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const byHostThenName = (a: CapturedVm, b: CapturedVm): number =>
    hostOrder(a.host) - hostOrder(b.host) || byCodeUnits(a.host, b.host) || byCodeUnits(a.name, b.name) || byCodeUnits(a.vmxPath, b.vmxPath);
  const ordered = [...primaryVms].sort((a, b) => {
    if (a === vcenter) return -1;
    if (b === vcenter) return 1;
    const ga = groupIndexOf(site, a) ?? Infinity;
    const gb = groupIndexOf(site, b) ?? Infinity;
    return ga - gb || byHostThenName(a, b);
  });
  const vms: PlanVmRow[] = ordered.map((vm) => ({
    name: vm.name,
    host: vm.host,
    vmxPath: vm.vmxPath,
    vmid: vm.vmid,
    power: vm.power,
    job: vm.job ?? null,
    quiescedInNewest: quiescedInNewest(capture, vm),
    group: vm === vcenter ? null : groupName(vm),
    isVcenter: vm === vcenter,
  }));
  const vmText = [m.vmTableIntro({ count: primaryVms.length, datastore: primaryDs })];
  const others = capture.vms.length - primaryVms.length;
  if (others > 0) vmText.push(m.vmTableOthers({ count: others }));

  const sections: PlanSection[] = [];

  // ---- 0. preflight ----------------------------------------------------------------------------
  {
    const steps: PlanStep[] = [];
    steps.push({
      id: 'preflight:relationship',
      title: m.preRelationship,
      text: [],
      commands: [
        onCluster(ontap.relationships({ destination: site.relationship.destination }), {
          expect: m.preRelationshipExpect({ destination: site.relationship.destination }),
          ...example('snapmirrorShowFields'),
        }),
      ],
    });
    steps.push({
      id: 'preflight:source',
      title: m.preSource,
      text: [],
      commands: [onCluster(ontap.volumeState(src.vserver, src.volume), { expect: m.preSourceExpect({ source: site.relationship.source }) })],
    });
    const mirrorVol = capture.volumes.find((v) => v.path === site.relationship.destination) ?? capture.volumes.find((v) => v.role === 'mirror');
    const total = primaryVms.length;
    const snapLines = vscBackups(
      (mirrorVol?.snapshots ?? []).map((s) => ({ name: s.name, createTime: s.createTime ?? null })),
      site.jobs,
    ).map((b) =>
      m.preSnapshotRow({
        name: b.name,
        time: formatTime(b.createTime),
        quiesced: capture.audit.vms.filter((a) => a.points.some((p) => p.snapshot === b.name && p.quiesced)).length,
        total,
      }),
    );
    steps.push({
      id: 'preflight:snapshots',
      title: m.preSnapshots,
      text: snapLines.length ? [m.preSnapshotsCaptured, ...snapLines.map((l) => `• ${l}`), m.preSnapshotChosen({ name: snap.name })] : [m.warnNoBackup({ mirror: site.relationship.destination })],
      commands: [onCluster(ontap.snapshots(dst.vserver, dst.volume), { expect: m.preSnapshotsExpect({ job: snap.job }), ...example('volumeSnapshotShow') })],
    });
    for (const h of hosts) {
      const lock = capturedHost(h)?.lockdown;
      steps.push({
        id: `preflight:host:${h}`,
        title: m.preHost({ host: h }),
        host: h,
        text: [lock === true ? m.preHostLockdownOn : lock === false ? m.preHostLockdownOff : m.preHostLockdownUnknown],
        commands: [
          onHost(h, esxi.lockdownIsEnabled(), { expect: m.preLockdownExpect, ...example('lockdownIsEnabled') }),
          onHost(h, esxi.getAllVms(), { expect: m.preGetAllVmsExpect({ datastore: primaryDs }), ...example('getAllVms') }),
          onHost(h, esxi.processList(), { expect: m.preProcessListExpect({ datastore: primaryDs }), ...example('processList') }),
          onHost(h, esxi.nfsList(), { expect: m.preNfsExpect({ datastore: mirrorDs }), ...example('nfsList') }),
        ],
      });
    }
    const reader = hosts.find((h) => capturedHost(h)?.lockdown !== true) ?? hosts[0]!;
    steps.push({
      id: 'preflight:mirror-contents',
      title: m.preMirrorContents,
      host: reader,
      text: [m.preMirrorContentsText({ host: reader })],
      commands: [onHost(reader, esxi.listDir(vmfsPath(mirrorDs, '.snapshot', snap.name)), { expect: m.preMirrorContentsExpect })],
    });
    sections.push({ id: 'preflight', title: m.secPreflight, text: [m.preIntro], steps });
  }

  // ---- callouts --------------------------------------------------------------------------------
  const calloutSection = (at: 'before-break' | 'end', id: string, title: string): void => {
    const callouts = site.callouts.filter((c) => c.at === at);
    if (callouts.length === 0) return;
    sections.push({
      id,
      title,
      text: [],
      steps: callouts.map((c) => ({
        id: `${id}:${c.name}`,
        title: c.name,
        text: [m.calloutText({ name: c.name, seconds: c.timeoutSeconds }), c.continueOnFailure ? m.calloutContinues : m.calloutStops],
        commands: [{ target: 'local', device: 'local', line: shellLine(c.run), expect: m.calloutExpect }],
      })),
    });
  };
  calloutSection('before-break', 'before-break', m.secCalloutsBefore);

  // ---- 1. break ----------------------------------------------------------------------------------
  const dest = site.relationship.destination;
  sections.push({
    id: 'break',
    title: m.secBreak,
    text: [m.breakIntro],
    steps: [
      {
        id: 'break:confirm',
        title: m.labelConfirm,
        text: [],
        commands: [],
        confirm: { text: m.breakConfirm({ source: site.relationship.source, destination: dest }), type: dest },
      },
      {
        id: 'break:quiesce',
        title: m.breakQuiesceStep,
        text: [],
        commands: [
          onCluster(ontap.quiesce(dest), { expect: m.breakQuiesceExpect, ...example('snapmirrorQuiesce') }),
          onCluster(ontap.relationships({ destination: dest }), { text: m.breakWaitQuiesced({ seconds: killSeconds * 4 }) }),
        ],
      },
      { id: 'break:break', title: m.breakBreakStep, text: [], commands: [onCluster(ontap.break(dest), { expect: m.breakBreakExpect })] },
      {
        id: 'break:verify',
        title: m.breakVerifyStep,
        text: [],
        commands: [onCluster(ontap.relationships({ destination: dest }), { expect: m.breakVerifyExpect })],
      },
    ],
  });

  // ---- 2. SnapRestore ----------------------------------------------------------------------------
  sections.push({
    id: 'snaprestore',
    title: m.secRestore,
    text: [
      m.restoreIntro({ snapshot: snap.name, destination: dest }),
      snap.newer.length ? m.restoreNewer({ names: snap.newer.join(', ') }) : m.restoreNewerNone,
      m.restoreResync,
    ],
    steps: [
      { id: 'snaprestore:confirm', title: m.labelConfirm, text: [], commands: [], confirm: { text: m.restoreConfirm, type: dest } },
      {
        id: 'snaprestore:restore',
        title: m.restoreStep,
        text: [],
        commands: [onCluster(ontap.restoreVolume(dst.vserver, dst.volume, snap.name), { expect: m.restoreExpect })],
      },
      {
        id: 'snaprestore:verify',
        title: m.restoreVerifyStep,
        text: [],
        commands: [onCluster(ontap.snapshots(dst.vserver, dst.volume), { expect: m.restoreVerifyExpect({ snapshot: snap.name }) })],
      },
    ],
  });

  // ---- 3. lockdown exit ----------------------------------------------------------------------------
  const lockText = (h: string): string => {
    const lock = capturedHost(h)?.lockdown;
    return lock === true ? m.lockdownWasOn : lock === false ? m.lockdownWasOff : m.lockdownWasUnknown;
  };
  sections.push({
    id: 'lockdown-exit',
    title: m.secLockdownExit,
    text: [m.lockdownExitIntro],
    steps: hosts.map((h) => {
      const lock = capturedHost(h)?.lockdown;
      return {
        id: `lockdown-exit:${h}`,
        title: m.lockdownExitStep({ host: h }),
        host: h,
        text: [lock === true ? m.preHostLockdownOn : lock === false ? m.preHostLockdownOff : m.preHostLockdownUnknown],
        commands: [
          onHost(h, esxi.lockdownIsEnabled(), { expect: m.lockdownCheckExpect }),
          onHost(h, esxi.lockdownExit(), { expect: m.lockdownExitExpect }),
          onHost(h, esxi.lockdownIsEnabled(), { expect: m.lockdownVerifyOff }),
        ],
      };
    }),
  });

  // ---- 4. mount ----------------------------------------------------------------------------------
  sections.push({
    id: 'mount',
    title: m.secMount,
    text: [],
    steps: hosts.map((h) => ({
      id: `mount:${h}`,
      title: m.mountStep({ host: h, datastore: mirrorDs }),
      host: h,
      text: [],
      commands: [
        onHost(h, esxi.nfsList(), { expect: m.mountCheckExpect({ datastore: mirrorDs }) }),
        onHost(h, esxi.nfsAdd(site.datastores.mirror.nfsHost, site.datastores.mirror.share, mirrorDs), { expect: m.mountExpect }),
        onHost(h, esxi.nfsList(), { expect: m.mountVerifyExpect({ datastore: mirrorDs }) }),
      ],
    })),
  });

  // ---- 5. fence ----------------------------------------------------------------------------------
  {
    const steps: PlanStep[] = [];
    for (const h of hosts) {
      const stale = primaryVms.filter((v) => v.host === h).sort(byHostThenName);
      if (stale.length === 0) {
        steps.push({ id: `fence:${h}`, title: m.fenceNone({ host: h }), host: h, text: [], commands: [onHost(h, esxi.getAllVms(), { expect: m.preGetAllVmsExpect({ datastore: primaryDs }) })] });
        continue;
      }
      for (const vm of stale) {
        const vmid = vmidArg(vm);
        steps.push({
          id: `fence:${h}:${vm.vmid}`,
          title: m.fenceStep({ host: h, name: vm.name, vmid: String(vmid) }),
          host: h,
          vm: vm.name,
          text: [],
          commands: [
            onHost(h, esxi.processList(), { text: m.fenceFind({ path: vmfsPath(primaryDs, vm.vmxDir, vm.vmxFile), uuid: vm.uuidBios }) }),
            onHost(h, esxi.kill(WORLD_ID, 'soft'), { text: m.fenceKillSoft({ seconds: killSeconds }), ...once(m.fenceKillExpect) }),
            onHost(h, esxi.processList(), once(m.fenceGoneExpect)),
            onHost(h, esxi.kill(WORLD_ID, 'hard'), { text: m.fenceKillHard({ seconds: killSeconds }) }),
            onHost(h, esxi.processList()),
            onHost(h, esxi.kill(WORLD_ID, 'force'), { text: m.fenceKillForce({ seconds: killSeconds }) }),
            onHost(h, esxi.processList()),
            onHost(h, esxi.unregister(vmid), { text: m.fenceUnregister, ...once(m.fenceUnregisterExpect) }),
            onHost(h, esxi.getAllVms(), { expect: m.fenceVerifyExpect({ vmid: String(vmid) }) }),
          ],
        });
      }
    }
    sections.push({ id: 'fence', title: m.secFence, text: [m.fenceIntro({ datastore: primaryDs }), m.fenceOthers({ datastore: primaryDs })], steps });
  }

  // ---- per-VM command sequences shared by vCenter and the recover sections ----------------------
  const registerCommand = (vm: CapturedVm): PlanCommand =>
    onHost(vm.host, esxi.register(vmfsPath(mirrorDs, vm.vmxDir, vm.vmxFile), vm.name), {
      text: m.recoverRegister,
      ...once(m.recoverRegisterExpect),
      ...example('registerVm'),
    });
  const powerOnCommands = (vm: CapturedVm): PlanCommand[] => [
    onHost(vm.host, esxi.powerOn(NEW_VMID), { text: m.recoverPowerOn, ...once(m.recoverPowerOnExpect) }),
    onHost(vm.host, esxi.message(NEW_VMID), { text: m.recoverAnswer, ...once(m.recoverMessageExpect) }),
    onHost(vm.host, esxi.answer(NEW_VMID, QUESTION_ID, MOVED_CHOICE), once(m.recoverAnswerExpect)),
    onHost(vm.host, esxi.powerGetState(NEW_VMID), { ...once(m.recoverPowerStateExpect), ...example('powerGetState') }),
    onHost(vm.host, esxi.getGuest(NEW_VMID), {
      text: m.recoverHeartbeat({ seconds: site.timeouts.heartbeatSeconds }),
      ...once(m.recoverHeartbeatExpect),
    }),
  ];

  // ---- 6. vCenter --------------------------------------------------------------------------------
  if (vcenter) {
    sections.push({
      id: 'vcenter',
      title: m.secVcenter,
      text: [m.vcenterIntro({ name: vcenter.name, host: vcenter.host })],
      steps: [
        {
          id: `vcenter:${recoverTargetId(vcenter)}:register`,
          title: m.vcenterRegister({ name: vcenter.name }),
          host: vcenter.host,
          vm: vcenter.name,
          text: [m.recoverPlaced({ host: vcenter.host, path: vcenter.vmxPath })],
          commands: [registerCommand(vcenter)],
        },
        {
          id: `vcenter:${recoverTargetId(vcenter)}:restore-backup`,
          title: m.vcenterRestore({ name: vcenter.name }),
          host: vcenter.host,
          vm: vcenter.name,
          text: [m.vcenterRestoreConfirm],
          commands: [],
          checklist: m.vcenterChecklist({ name: vcenter.name, host: vcenter.host, datastore: mirrorDs }),
        },
        {
          id: `vcenter:${recoverTargetId(vcenter)}:power-on`,
          title: m.vcenterPowerOn({ name: vcenter.name }),
          host: vcenter.host,
          vm: vcenter.name,
          text: [],
          commands: powerOnCommands(vcenter),
        },
      ],
    });
  }

  // ---- 7…: recover, one section per priority group -------------------------------------------------
  let n = vcenter ? 7 : 6;
  const recoverVms = primaryVms.filter((v) => v !== vcenter);
  const groupKeys = [...new Set(recoverVms.map((v) => groupIndexOf(site, v) ?? Infinity))].sort((a, b) => a - b);
  groupKeys.forEach((key, gi) => {
    const members = recoverVms.filter((v) => (groupIndexOf(site, v) ?? Infinity) === key).sort(byHostThenName);
    const group = key === Infinity ? m.noGroup : site.priorityGroups[key]!.name;
    const steps = members.map((vm): PlanStep => {
      const audit = capture.audit.vms.find((a) => a.vm === vm.name && a.host === vm.host && a.vmxPath === vm.vmxPath);
      const point = audit?.points.find((p) => p.snapshot === snap.name);
      const pointText = !audit
        ? m.recoverNotAudited
        : point?.quiesced && point.vmwareSnapshot
          ? point.vmwareSnapshot.createdAt
            ? m.recoverExpectedPoint({ name: point.vmwareSnapshot.name, time: formatTime(point.vmwareSnapshot.createdAt) })
            : m.recoverExpectedPointNoTime({ name: point.vmwareSnapshot.name })
          : m.recoverNoPoint;
      const powerWord = vm.power === 'on' ? m.powerOn : vm.power === 'off' ? m.powerOff : m.powerSuspended;
      return {
        id: recoverTargetId(vm),
        title: m.recoverStep({ host: vm.host, name: vm.name }),
        host: vm.host,
        vm: vm.name,
        text: [m.recoverPlaced({ host: vm.host, path: vm.vmxPath }), ...(vm.power === 'on' ? [] : [m.recoverLeaveOff({ power: powerWord })])],
        commands: [
          registerCommand(vm),
          onHost(vm.host, esxi.snapshotGet(NEW_VMID), {
            text: `${m.recoverSnapshotGet} ${pointText}`,
            ...once(m.recoverSnapshotGetExpect),
            ...example('snapshotGet'),
          }),
          onHost(vm.host, esxi.snapshotRevert(NEW_VMID, SNAPSHOT_ID, true), { text: m.recoverRevert, ...once(m.recoverRevertExpect), ...example('snapshotRevert') }),
          onHost(vm.host, esxi.snapshotRemove(NEW_VMID, SNAPSHOT_ID), { text: m.recoverRemove, ...once(m.recoverRemoveExpect) }),
          ...(vm.power === 'on' ? powerOnCommands(vm) : []),
        ],
      };
    });
    sections.push({
      id: `recover:${gi + 1}`,
      title: m.secRecover({ n: n++, group, index: gi + 1, count: groupKeys.length }),
      text: [
        ...(gi === 0 ? [m.recoverIntro, m.recoverGateFirst] : [m.recoverGate]),
        m.recoverPickRule({ snapshot: snap.name, time: formatTime(snap.createTime) }),
      ],
      steps,
    });
  });

  // ---- verify, end callouts, lockdown enter ----------------------------------------------------
  const hostsWithVms = hosts.filter((h) => primaryVms.some((v) => v.host === h));
  sections.push({
    id: 'verify',
    title: m.secVerify({ n: n++ }),
    text: [m.verifyIntro],
    steps: hostsWithVms.map((h) => ({
      id: `verify:${h}`,
      title: m.verifyStep({ host: h }),
      host: h,
      text: [],
      commands: [
        onHost(h, esxi.getAllVms(), { expect: m.verifyGetAllVms({ count: primaryVms.filter((v) => v.host === h).length, datastore: mirrorDs }) }),
        onHost(h, esxi.powerGetState(NEW_VMID), { text: m.verifyPerVm }),
        onHost(h, esxi.snapshotGet(NEW_VMID)),
      ],
    })),
  });
  // vCenter placement: what the capture recorded, for the vSphere Client (or `drbook place`).
  const placed = primaryVms.filter((v) => v.placement);
  if (placed.length > 0) {
    sections.push({
      id: 'place',
      title: m.secPlace({ n: n++ }),
      text: [m.placeIntro],
      steps: placed.map((vm) => ({
        id: `place:${vm.vmxDir}/${vm.vmxFile}`,
        title: m.placeStep({ vm: vm.name, folder: vm.placement!.folder, pool: vm.placement!.resourcePool }),
        host: vm.host,
        text: [],
        commands: [],
      })),
    });
  }
  calloutSection('end', 'end', m.secCalloutsEnd);

  // Last, as in the runbook (an `always` step): lockdown refuses the commands of the verify.
  sections.push({
    id: 'lockdown-enter',
    title: m.secLockdownEnter({ n: n++ }),
    text: [m.lockdownEnterIntro],
    steps: hosts.map((h) => ({
      id: `lockdown-enter:${h}`,
      title: m.lockdownEnterStep({ host: h }),
      host: h,
      text: [lockText(h)],
      commands: [onHost(h, esxi.lockdownEnter(), { expect: m.lockdownEnterExpect }), onHost(h, esxi.lockdownIsEnabled(), { expect: m.lockdownVerifyOn })],
    })),
  });

  return {
    format: 'drbook-plan',
    schema: 1,
    lang,
    title: m.title({ site: site.site }),
    subtitle: m.subtitle,
    site: site.site,
    siteFile: site.file,
    capture: { id: capture.id, takenAt: capture.takenAt, drbookVersion: capture.drbookVersion, ageDays, findings },
    generatedAt: now.toISOString(),
    drbookVersion: input.drbookVersion,
    relationship: { source: site.relationship.source, destination: site.relationship.destination },
    snapshot: { name: snap.name, createTime: snap.createTime, job: snap.job, newer: snap.newer },
    header,
    warnings,
    findingLines: findings.map((f) => `[${f.severity}] ${f.message}`),
    how: [...m.how],
    placeholders: [
      { name: NEW_VMID, meaning: m.placeholderNewVmid },
      { name: SNAPSHOT_ID, meaning: m.placeholderSnapshotId },
      { name: WORLD_ID, meaning: m.placeholderWorldId },
      { name: QUESTION_ID, meaning: m.placeholderQuestionId },
      { name: MOVED_CHOICE, meaning: m.placeholderMovedChoice },
      ...(primaryVms.some((v) => vmidArg(v) === VMID) ? [{ name: VMID, meaning: m.placeholderVmid }] : []),
    ],
    vms,
    vmText,
    sections,
  };
}
