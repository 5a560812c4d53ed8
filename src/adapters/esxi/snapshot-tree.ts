/**
 * The snapshot tree that `vim-cmd vmsvc/snapshot.get|revert|remove` print. Depth comes from the
 * dashes (2 per level, fields start at `--`); `|-ROOT` / `<dashes>|-CHILD` markers are checked when
 * present but the dashes alone decide the tree, so a sibling printed without its own marker is still
 * placed right. Labels are split at the first `:` because their padding is irregular.
 */
import { ParseError } from '../../errors.js';
import { isBlank, preview, toLines } from './text.js';

const KIND = 'esxi-snapshot-get';

export interface SnapshotNode {
  name: string;
  /** null on old ESXi, which prints no `Snapshot Id` line. */
  id: number | null;
  description: string;
  /** As printed: `M/D/YYYY H:M:S`, no zero padding. */
  createdOn: string;
  /** ISO 8601; the host clock is taken as UTC (ESXi runs in UTC). */
  createdAt: string;
  /** As printed: `powered on`, `powered off`, `suspended`. */
  state: string;
  children: SnapshotNode[];
  /** Labels this parser does not know, kept so nothing printed is lost. */
  extra?: Record<string, string>;
}

export interface SnapshotTree {
  /** The title without its colon: `Get Snapshot`, `Revert Snapshot`, `Remove Snapshot`, … */
  title: string;
  snapshots: SnapshotNode[];
}

const TITLE = /^([A-Z][A-Za-z ]*[A-Za-z]):[ \t]*$/;
const FIELD = /^(-*)Snapshot ([A-Za-z]+(?: [A-Za-z]+)*)[ \t]*:(.*)$/;
const MARKER = /^(-*)\|-(ROOT|CHILD)[ \t]*$/;
const CREATED = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/;

type Label = 'name' | 'id' | 'description' | 'createdOn' | 'state';

function labelOf(label: string): Label | null {
  switch (label) {
    case 'Name':
      return 'name';
    case 'Id':
      return 'id';
    case 'Desciption': // ESXi's own spelling
    case 'Description':
      return 'description';
    case 'Created On':
      return 'createdOn';
    case 'State':
      return 'state';
    default:
      return null;
  }
}

/** `M/D/YYYY H:M:S` → ISO string, or null when it is not a real date and time. */
export function snapshotTimeToIso(s: string): string | null {
  const m = CREATED.exec(s);
  if (!m) return null;
  const [mo, d, y, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(t);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || se > 59) return null;
  return back.toISOString().replace('.000Z', 'Z');
}

interface Building {
  depth: number;
  line: number;
  fields: Partial<Record<Label, string>>;
  extra: Record<string, string>;
  lastLabel: string; // a Label, or a field this parser does not read
  node: SnapshotNode | null;
}

export function parseSnapshotTree(text: string): SnapshotTree {
  const lines = toLines(text);
  let i = 0;
  while (i < lines.length && isBlank(lines[i]!.text)) i++;
  const first = lines[i];
  if (!first) throw new ParseError(KIND, null, 'empty output; expected a title such as "Get Snapshot:"');
  const t = TITLE.exec(first.text);
  if (!t) throw new ParseError(KIND, first.no, `expected a title such as "Get Snapshot:", got ${preview(first.text)}`);
  const title = t[1]!;
  const roots: SnapshotNode[] = [];
  // path[d-1] is the last finished-or-open node at depth d.
  const path: SnapshotNode[] = [];
  let open: Building | null = null;
  let pendingMarker: number | null = null; // depth announced by the last marker
  let blanks = 0; // blank lines seen since the last text line

  const close = () => {
    if (!open) return;
    const b = open;
    open = null;
    const f = b.fields;
    for (const need of ['name', 'createdOn', 'state'] as const) {
      if (f[need] === undefined) throw new ParseError(KIND, b.line, `snapshot has no "${need}" line`);
    }
    let id: number | null = null;
    if (f.id !== undefined) {
      if (!/^\d+$/.test(f.id)) throw new ParseError(KIND, b.line, `snapshot id is not a number: ${preview(f.id)}`);
      id = Number(f.id);
    }
    const createdAt = snapshotTimeToIso(f.createdOn!);
    if (createdAt === null) throw new ParseError(KIND, b.line, `bad "Created On" time: ${preview(f.createdOn!)}`);
    const node: SnapshotNode = {
      name: f.name!,
      id,
      description: f.description ?? '',
      createdOn: f.createdOn!,
      createdAt,
      state: f.state!,
      children: [],
    };
    if (Object.keys(b.extra).length > 0) node.extra = b.extra;
    if (b.depth === 1) roots.push(node);
    else path[b.depth - 2]!.children.push(node);
    path.length = b.depth - 1;
    path.push(node);
  };

  for (i = i + 1; i < lines.length; i++) {
    const { no, text: line } = lines[i]!;
    if (isBlank(line)) {
      blanks++;
      continue;
    }
    const gap = blanks;
    blanks = 0;
    if (gap > 0) {
      // A blank line can only sit inside a multi-line description.
      const continues = open !== null && open.lastLabel === 'description' && !MARKER.test(line) && !FIELD.test(line);
      if (!continues) throw new ParseError(KIND, no, `text after a blank line: ${preview(line)}`);
    }
    const marker = MARKER.exec(line);
    if (marker) {
      const dashes = marker[1]!.length;
      const isRoot = marker[2] === 'ROOT';
      if (dashes % 2 !== 0 || (isRoot && dashes !== 0) || (!isRoot && dashes === 0)) {
        throw new ParseError(KIND, no, `malformed tree marker ${preview(line)}`);
      }
      close();
      const depth = dashes / 2 + 1;
      if (depth - 1 > path.length) throw new ParseError(KIND, no, 'a child marker without a parent snapshot');
      pendingMarker = depth;
      continue;
    }
    const field = FIELD.exec(line);
    if (field) {
      const dashes = field[1]!.length;
      if (dashes === 0 || dashes % 2 !== 0) throw new ParseError(KIND, no, `field needs an even number of dashes: ${preview(line)}`);
      const depth = dashes / 2;
      const rawLabel = field[2]!;
      const value = field[3]!.replace(/^ /, '');
      const label = labelOf(rawLabel);
      if (label === 'name') {
        close();
        if (pendingMarker !== null && pendingMarker !== depth) {
          throw new ParseError(KIND, no, `snapshot at depth ${depth} after a marker for depth ${pendingMarker}`);
        }
        if (depth - 1 > path.length) throw new ParseError(KIND, no, 'snapshot deeper than its parent allows');
        pendingMarker = null;
        open = {
          depth,
          line: no,
          fields: { name: value },
          extra: Object.create(null) as Record<string, string>,
          lastLabel: 'name',
          node: null,
        };
        continue;
      }
      if (!open || open.depth !== depth) {
        throw new ParseError(KIND, no, `"Snapshot ${rawLabel}" does not follow a "Snapshot Name" at the same depth`);
      }
      if (label === null) {
        if (rawLabel in open.extra) throw new ParseError(KIND, no, `"Snapshot ${rawLabel}" twice`);
        open.extra[rawLabel] = value;
        open.lastLabel = rawLabel;
        continue;
      }
      if (open.fields[label] !== undefined) throw new ParseError(KIND, no, `"Snapshot ${rawLabel}" twice`);
      open.fields[label] = value;
      open.lastLabel = label;
      continue;
    }
    // Only a description runs over several lines; its continuation has no dash prefix.
    if (open && open.lastLabel === 'description') {
      const b = open;
      b.fields.description = `${b.fields.description ?? ''}${'\n'.repeat(gap + 1)}${line}`;
      continue;
    }
    throw new ParseError(KIND, no, `not a snapshot tree line: ${preview(line)}`);
  }
  close();
  if (pendingMarker !== null) throw new ParseError(KIND, lines[lines.length - 1]!.no, 'tree marker with no snapshot after it');
  return { title, snapshots: roots };
}

/** Every snapshot in the tree, parents before children. */
export function flattenSnapshots(nodes: readonly SnapshotNode[]): SnapshotNode[] {
  const out: SnapshotNode[] = [];
  const walk = (list: readonly SnapshotNode[]) => {
    for (const n of list) {
      out.push(n);
      walk(n.children);
    }
  };
  walk(nodes);
  return out;
}
