/**
 * The drill folder: a drill's VMs are put into a vCenter folder of their own, `drbook drill <run>`
 * under their datacenter's VM folder, so nobody takes them for production and the drill's
 * teardown (or `drbook drill cleanup`) can remove the folder once it is empty. vCenter is optional:
 * when the site file has none, or it cannot be reached, the drill goes on without the folder and
 * says so once.
 */
import type { VcenterVm } from '../adapters/vcenter/inventory.js';
import { isMoRef, type MoRef } from '../adapters/vcenter/soap.js';
import type { ActionIO, CheckResult, StepInfo, Target, TargetsIO } from '../engine/runner.js';
import { ConnectError, DrbookError, RemoteCommandError, describeError } from '../errors.js';
import { vmOf } from '../failover/context.js';
import type { VcenterApiFact } from '../failover/situation-text.js';
import { waitFor } from '../failover/wait.js';
import { drillFolderMessages } from '../i18n/drill-folder.js';
import type { Lang } from '../i18n/lang.js';
import type { CapturedVm } from '../inventory/types.js';
import type { DrillContext } from './context.js';

/** The folder's name: a drill's, at a glance, and unique to the drill run. */
export function drillFolderName(drillRunId: string): string {
  return `drbook drill ${drillRunId}`;
}

/** `/dc1/vm/drbook drill <run>` in the datacenter `dc`. */
export function drillFolderPath(dc: string, drillRunId: string): string {
  return `/${dc.replace(/\//g, '%2f')}/vm/${drillFolderName(drillRunId)}`;
}

/** The drill board's vCenter line: what this drill (or drill cleanup) does with the drill folder. */
export function drillVcenterLine(
  api: VcenterApiFact,
  drill: { runId: string; mode: 'drill' | 'cleanup'; keep: boolean },
  lang: Lang,
): string {
  const m = drillFolderMessages(lang);
  const folder = drillFolderName(drill.runId);
  if (!api.up) {
    const error = api.error ?? '?';
    return drill.mode === 'cleanup' ? m.sitDownCleanup({ url: api.url, error, run: drill.runId }) : m.sitDown({ url: api.url, error });
  }
  if (drill.mode === 'cleanup') return m.sitUpCleanup({ url: api.url, folder });
  return drill.keep ? m.sitUpKeep({ url: api.url, folder }) : m.sitUp({ url: api.url, folder });
}

/**
 * Why the drill folder is not used in this run, or null when vCenter answers. Asked once per run
 * (the targets run concurrently): the reason is noted once, not per VM.
 */
function folderOff(ctx: DrillContext, io: { note: ActionIO['note'] }): Promise<string | null> {
  ctx.drillFacts.folderOff ??= (async () => {
    const m = drillFolderMessages(ctx.lang);
    if (!ctx.placement) {
      io.note('info', m.noVcenter);
      return m.noVcenter;
    }
    const p = await ctx.placement.probe();
    if (p.up) return null;
    const why = m.vcenterDown({ error: p.error ?? '?' });
    io.note('warn', why);
    return why;
  })();
  return ctx.drillFacts.folderOff;
}

const cloneVmxPath = (ctx: DrillContext, vm: CapturedVm): string => `[${ctx.names.datastore}] ${vm.vmxDir}/${vm.vmxFile}`;

/** The drill VM as vCenter shows it now (folder read fresh), or null. */
function findDrillVm(ctx: DrillContext, vm: CapturedVm): Promise<VcenterVm | null> {
  return ctx.placement!.find(vm, [ctx.names.datastore]);
}

/** The drill folder, created when missing (a concurrent creation by another target counts). */
async function ensureFolder(ctx: DrillContext, dc: string): Promise<MoRef> {
  const api = ctx.placement!;
  const path = drillFolderPath(dc, ctx.drillRunId);
  const existing = (await api.inventory(true)).folders.get(path);
  if (existing) return existing;
  const parent = (await api.inventory()).folders.get(`/${dc}/vm`);
  if (!parent) throw new DrbookError(`vCenter has no VM folder /${dc}/vm`);
  try {
    return await (await api.client()).createFolder(parent, drillFolderName(ctx.drillRunId));
  } catch (err) {
    if (!(err instanceof RemoteCommandError && err.fault === 'DuplicateName')) throw err;
    const made = (await api.inventory(true)).folders.get(path);
    if (!made) throw err;
    return made;
  }
}

/** A recover stage after `register`: the drill VM into the drill folder. */
export const drillFolderStage = {
  async check(ctx: DrillContext, t: Target, io: ActionIO): Promise<CheckResult> {
    const m = drillFolderMessages(ctx.lang);
    if (await folderOff(ctx, io)) return { skip: m.offSkip };
    const vm = vmOf(ctx, t);
    let found: VcenterVm | null = null;
    try {
      // vCenter learns of a host registration from the host: give it the time a power on gets.
      await waitFor(async () => (found = await findDrillVm(ctx, vm)) !== null, ctx.drill.powerOnMs, ctx.drill.pollMs, io.signal);
    } catch (err) {
      if (err instanceof ConnectError) return { skip: m.vcenterDown({ error: describeError(err) }) };
      throw err;
    }
    const cur = found as VcenterVm | null;
    if (!cur) return { skip: m.notShown({ path: cloneVmxPath(ctx, vm) }) };
    return cur.folder === drillFolderPath(cur.datacenter, ctx.drillRunId) ? 'done' : 'todo';
  },
  async apply(ctx: DrillContext, t: Target, io: ActionIO) {
    const vm = vmOf(ctx, t);
    // Read right before moving: a VM already in the folder is not moved again.
    const cur = await findDrillVm(ctx, vm);
    if (!cur) throw new DrbookError(drillFolderMessages(ctx.lang).notShown({ path: cloneVmxPath(ctx, vm) }));
    const path = drillFolderPath(cur.datacenter, ctx.drillRunId);
    if (cur.folder === path) return;
    const folder = await ensureFolder(ctx, cur.datacenter);
    await (await ctx.placement!.client()).moveIntoFolder(folder, [cur.ref]);
    io.note('info', drillFolderMessages(ctx.lang).moved({ vm: cur.name, folder: path }));
  },
  async verify(ctx: DrillContext, t: Target) {
    const cur = await findDrillVm(ctx, vmOf(ctx, t));
    if (!cur) return drillFolderMessages(ctx.lang).notShown({ path: cloneVmxPath(ctx, vmOf(ctx, t)) });
    return cur.folder === drillFolderPath(cur.datacenter, ctx.drillRunId)
      ? (true as const)
      : drillFolderMessages(ctx.lang).stillElsewhere({ folder: cur.folder });
  },
};

/** The drill folders of this drill in vCenter now (one per datacenter it used), by path. */
async function drillFolders(ctx: DrillContext): Promise<[string, MoRef][]> {
  const suffix = `/vm/${drillFolderName(ctx.drillRunId)}`;
  return [...(await ctx.placement!.inventory(true)).folders].filter(([p]) => p.endsWith(suffix) && p.split('/').length === 4);
}

async function childCount(ctx: DrillContext, folder: MoRef): Promise<number> {
  const [o] = await (await ctx.placement!.client()).retrieveObjects('Folder', [folder], ['childEntity']);
  const c = o?.props['childEntity'];
  return Array.isArray(c) ? c.filter((x) => isMoRef(x)).length : 0;
}

/** A site step after the teardown (and in `drill cleanup`): the drill folder, once empty, removed. */
export const removeDrillFolder = {
  targets(ctx: DrillContext, _step: StepInfo, _io: TargetsIO): Target[] {
    // --keep leaves the drill VMs, so their folder too; without vCenter there is no folder.
    if ((ctx.mode === 'drill' && ctx.drill.keep) || !ctx.placement) return [];
    return [{ id: 'drill-folder', label: drillFolderMessages(ctx.lang).folderLabel({ name: drillFolderName(ctx.drillRunId) }) }];
  },
  async check(ctx: DrillContext, _t: Target, io: ActionIO): Promise<CheckResult> {
    const m = drillFolderMessages(ctx.lang);
    const off = await folderOff(ctx, io);
    if (off) return { skip: m.folderDownLeft({ run: ctx.drillRunId }) };
    const folders = await drillFolders(ctx);
    if (!folders.length) return 'done';
    // vCenter drops an unregistered VM when its host says so: wait for the folder to empty.
    for (const [path, ref] of folders) {
      if (!(await waitFor(async () => (await childCount(ctx, ref)) === 0, ctx.drill.powerOnMs, ctx.drill.pollMs, io.signal)))
        throw new DrbookError(m.folderNotEmpty({ folder: path, count: await childCount(ctx, ref) }), m.folderNotEmptyHint);
    }
    return 'todo';
  },
  async apply(ctx: DrillContext) {
    const m = drillFolderMessages(ctx.lang);
    const client = await ctx.placement!.client();
    for (const [path, ref] of await drillFolders(ctx)) {
      // Read right before removing: Destroy_Task of a folder would take its VMs with it.
      const n = await childCount(ctx, ref);
      if (n) throw new DrbookError(m.folderNotEmpty({ folder: path, count: n }), m.folderNotEmptyHint);
      await client.destroyFolder(ref);
    }
  },
  async verify(ctx: DrillContext) {
    return (await drillFolders(ctx)).length ? drillFolderMessages(ctx.lang).folderStillThere : (true as const);
  },
};
