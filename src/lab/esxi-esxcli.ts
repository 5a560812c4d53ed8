import { fail, ok, type EsxiContext, type Output } from './esxi-context.js';
import { faults, formatFilesystemList, formatNfsList, formatProcessList, formatVersion } from './esxi-format.js';
import { locate, vmxOf } from './model.js';

/** `esxcli` namespaces the runbook uses, in ESXi 8 layouts. */
export async function runEsxcli(ctx: EsxiContext, argv: string[]): Promise<Output> {
  const words: string[] = [];
  const opts = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) opts.set(a.slice(2, eq), a.slice(eq + 1));
      else opts.set(a.slice(2), argv[++i] ?? '');
    } else if (/^-[A-Za-z]$/.test(a)) opts.set(a.slice(1), argv[++i] ?? '');
    else words.push(a);
  }
  if (ctx.host.lockdown) return fail(faults.noPermission('Host.Config.Storage'));
  const get = (long: string, short: string): string | undefined => opts.get(long) ?? opts.get(short);
  const ns = words.join(' ');
  switch (ns) {
    case 'system version get':
      return ok(formatVersion(ctx.host));
    case 'vm process list':
      return ok(processList(ctx));
    case 'vm process kill':
      return kill(ctx, get('type', 't'), get('world-id', 'w'));
    case 'storage nfs list':
      return ok(
        formatNfsList(
          ctx.host.nfs.map((m) => {
            const loc = locate(ctx.state, ctx.host, m.name)!;
            return { name: m.name, host: m.host, share: m.share, accessible: loc.accessible, mounted: true, readOnly: m.readOnly };
          }),
        ),
      );
    case 'storage filesystem list':
      return ok(
        formatFilesystemList(
          ctx.host.nfs.map((m) => ({ name: m.name, uuid: m.uuid, mounted: locate(ctx.state, ctx.host, m.name)!.accessible })),
        ),
      );
    case 'storage nfs add': {
      const host = get('host', 'H');
      const share = get('share', 's');
      const name = get('volume-name', 'v');
      if (!host || !share || !name) return fail('Error: Missing required parameter -H|--host, -s|--share or -v|--volume-name\n');
      const same = ctx.host.nfs.find((m) => m.host === host && m.share === share);
      if (same)
        return fail(`Unable to create new NAS volume.  ${host}:${share} is already exported by a volume with the name ${same.name}\n`);
      if (ctx.host.nfs.some((m) => m.name === name))
        return fail(`Unable to add new NAS volume: A volume with the name ${name} already exists\n`);
      const volume = host === '127.0.0.1' ? ctx.state.volumes.find((v) => v.junction === share && v.state === 'online') : undefined;
      await ctx.sleep(ctx.latency.nfsAdd);
      if (!volume)
        return fail(
          `Unable to complete Sysinfo operation.  Please see the VMkernel log file for more details.: Unable to connect to NFS server.\n`,
        );
      const hex = (n: number): string =>
        Array.from({ length: n }, (_, i) => ((share.charCodeAt(i % share.length) + i * 7 + name.length) % 16).toString(16)).join('');
      ctx.host.nfs.push({
        name,
        host,
        share,
        readOnly: opts.has('readonly') || opts.has('r'),
        uuid: `${hex(8)}-${hex(8).split('').reverse().join('')}`,
      });
      ctx.changed();
      return ok();
    }
    case 'storage nfs remove': {
      const name = get('volume-name', 'v');
      const m = ctx.host.nfs.find((x) => x.name === name);
      if (!m) return fail(`Error: NFS volume ${name ?? ''} not found\n`);
      if (ctx.host.registrations.some((r) => r.datastore === m.name && r.power === 'on'))
        return fail(`Unable to remove NAS volume ${m.name}: Sysinfo error: BusySee VMkernel log for details.\n`);
      ctx.host.nfs = ctx.host.nfs.filter((x) => x !== m);
      ctx.changed();
      return ok();
    }
  }
  return fail(`Error: Unknown command or namespace ${ns}\n`);
}

function processList(ctx: EsxiContext): string {
  const rows = [];
  for (const r of ctx.host.registrations) {
    if (r.power !== 'on' || r.worldId === null) continue;
    const mount = ctx.host.nfs.find((m) => m.name === r.datastore);
    const vmx = vmxOf(ctx.state, ctx.host, r);
    rows.push({
      title: r.name,
      worldId: r.worldId,
      cartelId: r.cartelId ?? r.worldId - 1,
      uuid: vmx?.get('uuid.bios') ?? processUuid(ctx, r.rel),
      displayName: vmx?.get('displayname') ?? r.name,
      configFile: `/vmfs/volumes/${mount?.uuid ?? r.datastore}/${r.rel}`,
    });
  }
  return formatProcessList(rows);
}

/** A stale process still knows its uuid even though its .vmx is unreadable. */
function processUuid(ctx: EsxiContext, rel: string): string {
  const vm = ctx.state.vms.find((v) => rel.startsWith(`${v.dir}/`));
  return vm?.uuid ?? '56 4d 00 00 00 00 00 00-00 00 00 00 00 00 00 00';
}

async function kill(ctx: EsxiContext, type: string | undefined, world: string | undefined): Promise<Output> {
  if (type !== 'soft' && type !== 'hard' && type !== 'force')
    return fail(`Error: Invalid option --type: must be one of soft, hard, force\n`);
  const reg = ctx.host.registrations.find((r) => r.power === 'on' && String(r.worldId) === world);
  if (!reg) return fail(`Unable to find a running VM with World ID ${world ?? ''}\n`);
  ctx.action('kill', `${world}/${type}`);
  const ignores = (type === 'soft' && (reg.stuck === 'soft' || reg.stuck === 'hard')) || (type === 'hard' && reg.stuck === 'hard');
  if (!ignores) {
    const ms = type === 'soft' ? ctx.latency.killSoft : type === 'hard' ? ctx.latency.killHard : ctx.latency.killForce;
    const at = ctx.now() + ms;
    reg.dyingAt = reg.dyingAt === null ? at : Math.min(reg.dyingAt, at);
    ctx.changed();
  }
  return ok();
}
