import { createHash } from 'node:crypto';

/**
 * The text of the files in a VM directory, as ESXi writes them. The lab keeps the VM's disk
 * content marker inside the .vmdk descriptors, so every copy of the files (NetApp snapshots,
 * SnapRestore, restore-file, FlexClone, SnapMirror) carries the marker exactly as storage would.
 */

/** .vmx values escape `|` and `"` as `|7C` and `|22` (VMware's encoding). */
export function vmxEscape(v: string): string {
  return v.replace(/\|/g, '|7C').replace(/"/g, '|22');
}
export function vmxUnescape(v: string): string {
  return v.replace(/\|([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

export function parseVmx(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\s*([^=\s]+)\s*=\s*"(.*)"\s*$/.exec(line);
    if (m) out.set(m[1]!.toLowerCase(), vmxUnescape(m[2]!));
  }
  return out;
}

/** Set (or add) keys in .vmx text, keeping the other lines as they are. */
export function setVmxKeys(text: string, values: Record<string, string>): string {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (const [key, value] of Object.entries(values)) {
    const line = `${key} = "${vmxEscape(value)}"`;
    const i = lines.findIndex((l) => l.split('=')[0]!.trim().toLowerCase() === key.toLowerCase());
    if (i >= 0) lines[i] = line;
    else lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

/** `56 4d xx … xx-xx … xx`: the form .vmx files and esxcli use for uuid.bios / uuid.location. */
export function formatVmUuid(hex32: string): string {
  const b = hex32.match(/../g)!;
  return `${b.slice(0, 8).join(' ')}-${b.slice(8, 16).join(' ')}`;
}

/** ESXi derives uuid.location from the .vmx path; a different path means "moved or copied". */
export function locationUuid(vmxPath: string): string {
  return formatVmUuid(createHash('sha256').update(vmxPath).digest('hex').slice(0, 32));
}

export interface VmxSpec {
  displayName: string;
  base: string; // file base name of .vmx / .vmdk / .nvram
  guestOS: string;
  hwVersion: number;
  uuidBios: string;
  location: string;
  mac: string;
  annotation?: string;
}

export function buildVmx(s: VmxSpec): string {
  const kv: [string, string][] = [
    ['.encoding', 'UTF-8'],
    ['config.version', '8'],
    ['virtualHW.version', String(s.hwVersion)],
    ['nvram', `${s.base}.nvram`],
    ['pciBridge0.present', 'TRUE'],
    ['svga.present', 'TRUE'],
    ['vmci0.present', 'TRUE'],
    ['floppy0.present', 'FALSE'],
    ['numvcpus', '2'],
    ['memSize', '4096'],
    ['scsi0.virtualDev', 'pvscsi'],
    ['scsi0.present', 'TRUE'],
    ['scsi0:0.deviceType', 'scsi-hardDisk'],
    ['scsi0:0.fileName', `${s.base}.vmdk`],
    ['scsi0:0.present', 'TRUE'],
    ['ethernet0.virtualDev', 'vmxnet3'],
    ['ethernet0.networkName', 'VM Network'],
    ['ethernet0.addressType', 'generated'],
    ['ethernet0.generatedAddress', s.mac],
    ['ethernet0.present', 'TRUE'],
    ['ethernet0.startConnected', 'TRUE'],
    ['displayName', s.displayName],
    ['guestOS', s.guestOS],
    ['tools.syncTime', 'FALSE'],
    ['uuid.bios', s.uuidBios],
    ['uuid.location', s.location],
    ['vc.uuid', s.uuidBios],
    ['annotation', s.annotation ?? ''],
  ];
  return kv.map(([k, v]) => `${k} = "${vmxEscape(v)}"`).join('\n') + '\n';
}

const MARKER_RE = /^ddb\.drbookMarker = "(\d+)"$/m;

export function buildVmdk(opts: { marker: number; parent?: string; cid: string }): string {
  return [
    '# Disk DescriptorFile',
    'version=1',
    'encoding="UTF-8"',
    `CID=${opts.cid}`,
    `parentCID=${opts.parent ? opts.cid : 'ffffffff'}`,
    `createType="${opts.parent ? 'vmfsSparse' : 'vmfs'}"`,
    ...(opts.parent ? [`parentFileNameHint="${opts.parent}"`] : []),
    '',
    '# Extent description',
    `RW 83886080 ${opts.parent ? 'VMFSSPARSE' : 'VMFS'} "${opts.parent ? opts.parent.replace(/\.vmdk$/, '-delta.vmdk') : 'flat.vmdk'}"`,
    '',
    '# The Disk Data Base',
    '#DDB',
    '',
    'ddb.adapterType = "pvscsi"',
    'ddb.virtualHWVersion = "19"',
    `ddb.drbookMarker = "${opts.marker}"`,
    '',
  ].join('\n');
}

export function readMarker(vmdk: string | undefined): number | null {
  const m = vmdk ? MARKER_RE.exec(vmdk) : null;
  return m ? Number(m[1]) : null;
}

export function writeMarker(vmdk: string, marker: number): string {
  return vmdk.replace(MARKER_RE, `ddb.drbookMarker = "${marker}"`);
}

export function parentOf(vmdk: string): string | null {
  const m = /^parentFileNameHint="(.*)"$/m.exec(vmdk);
  return m ? m[1]! : null;
}

/** One VMware snapshot as the .vmsd records it (a linear chain is all the lab needs). */
export interface VmSnapshot {
  uid: number;
  name: string;
  description: string;
  createTime: number; // ms
  /** The disk that was frozen when this snapshot was taken (its writes went to a new delta). */
  disk: string;
  vmsn: string;
  state: 'powered on' | 'powered off';
  quiesced: boolean;
}

export interface Vmsd {
  lastUid: number;
  current: number | null;
  snapshots: VmSnapshot[];
}

export function parseVmsd(text: string | undefined): Vmsd {
  const empty: Vmsd = { lastUid: 0, current: null, snapshots: [] };
  if (!text) return empty;
  const kv = parseVmx(text);
  const n = Number(kv.get('snapshot.numsnapshots') ?? '0');
  const snapshots: VmSnapshot[] = [];
  for (let i = 0; i < n; i++) {
    const g = (k: string): string => kv.get(`snapshot${i}.${k}`.toLowerCase()) ?? '';
    snapshots.push({
      uid: Number(g('uid')),
      name: g('displayName'),
      description: g('description'),
      createTime: vmsdTimeToMs(g('createTimeHigh'), g('createTimeLow')),
      disk: g('disk0.fileName'),
      vmsn: g('filename'),
      state: g('state') === 'powered on' ? 'powered on' : 'powered off',
      quiesced: g('quiesced') === 'TRUE',
    });
  }
  const cur = kv.get('snapshot.current');
  return { lastUid: Number(kv.get('snapshot.lastuid') ?? '0'), current: cur ? Number(cur) : null, snapshots };
}

function vmsdTimeToMs(high: string, low: string): number {
  const h = Number(high);
  const l = Number(low);
  return Math.floor((h * 2 ** 32 + (l < 0 ? l + 2 ** 32 : l)) / 1000);
}

export function buildVmsd(v: Vmsd): string {
  const lines = ['.encoding = "UTF-8"', `snapshot.lastUID = "${v.lastUid}"`];
  if (v.current !== null && v.snapshots.length) lines.push(`snapshot.current = "${v.current}"`);
  v.snapshots.forEach((s, i) => {
    const p = `snapshot${i}`;
    lines.push(
      `${p}.uid = "${s.uid}"`,
      `${p}.filename = "${vmxEscape(s.vmsn)}"`,
      `${p}.displayName = "${vmxEscape(s.name)}"`,
      `${p}.description = "${vmxEscape(s.description)}"`,
      // As ESXi writes it: microseconds since the epoch in two 32-bit halves, the low one signed.
      `${p}.createTimeHigh = "${Math.floor((s.createTime * 1000) / 2 ** 32)}"`,
      `${p}.createTimeLow = "${((s.createTime * 1000) % 2 ** 32) | 0}"`,
      `${p}.state = "${s.state}"`,
      `${p}.quiesced = "${s.quiesced ? 'TRUE' : 'FALSE'}"`,
      `${p}.numDisks = "1"`,
      `${p}.disk0.fileName = "${vmxEscape(s.disk)}"`,
      `${p}.disk0.node = "scsi0:0"`,
    );
    if (i > 0) lines.push(`${p}.parent = "${v.snapshots[i - 1]!.uid}"`);
  });
  lines.push(`snapshot.numSnapshots = "${v.snapshots.length}"`);
  return `${lines.join('\n')}\n`;
}
