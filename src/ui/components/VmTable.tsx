import { memo, useMemo, type ReactElement } from 'react';
import { Box, Text } from 'ink';
import type { RowSource, VmView } from '../types.js';
import { fit, fitEnd, oneLine, shortDuration } from '../text.js';
import { STATE_COLOR, STATE_ICON, stateWord } from '../states.js';
import { tint, useUi, type Ui } from '../theme.js';

export interface VmTableProps {
  vms: RowSource<VmView>;
  /** Positions in `vms` that pass the filter; undefined = no filter (every row). */
  matches?: readonly number[] | undefined;
  /** First visible position (in the filtered list). */
  top: number;
  /** Selected position (in the filtered list). */
  selected: number;
  focused: boolean;
  /** The rows are the hosts of a host step (lockdown, mount) or the site itself, not VMs: the title says so. */
  rowsAre?: 'site' | 'host' | 'vm' | undefined;
  filter: string;
  filtering: boolean;
  width: number;
  /** Lines including the title and the column headings. */
  lines: number;
  now: number;
}

export interface VmColumns {
  name: number;
  host: number;
  stage: number;
  time: number;
  result: number;
  note: number;
}

/** Column widths for a table width; the note column only appears when there is room. */
export function vmColumns(width: number): VmColumns {
  const time = 8;
  const result = width >= 100 ? 12 : 10;
  // 2 for the selection mark and icon, 1 space between columns
  const rest = width - 2 - time - result - 5;
  const note = width >= 90 ? Math.floor(rest * 0.3) : 0;
  const flexible = rest - note - (note > 0 ? 1 : 0);
  // Stage labels run to 20 columns in Japanese (スナップショット削除): give the stage its share.
  const name = Math.floor(flexible * 0.38);
  const host = Math.floor(flexible * 0.26);
  const stage = flexible - name - host;
  return { name, host, stage, time, result, note };
}

/** How many VM rows fit under the title and headings. */
export function vmRowLines(lines: number): number {
  return Math.max(1, lines - 2);
}

export function stageLabel(ui: Ui, stage: string): string {
  return ui.msg.stages[stage] ?? stage;
}

/** Does a VM pass the filter text (case-insensitive, on name, host, stage and result)? */
export function vmMatches(ui: Ui, vm: VmView, needle: string): boolean {
  const n = needle.toLowerCase();
  return (
    vm.name.toLowerCase().includes(n) ||
    vm.host.toLowerCase().includes(n) ||
    stageLabel(ui, vm.stage).toLowerCase().includes(n) ||
    vm.stage.toLowerCase().includes(n) ||
    stateWord(ui.common, vm.state).toLowerCase().includes(n)
  );
}

interface RowProps {
  vm: VmView;
  cols: VmColumns;
  selected: boolean;
  /** Only a running VM's time changes with the clock; finished rows ignore `now` and stay memoised. */
  now: number;
}

const VmRow = memo(
  function VmRow({ vm, cols, selected, now }: RowProps) {
    const ui = useUi();
    const t = vm.startedAt !== undefined ? shortDuration((vm.finishedAt ?? now) - vm.startedAt) : '';
    const note = cols.note > 0 ? oneLine(vm.error ?? vm.note ?? '') : '';
    const result = stateWord(ui.common, vm.state);
    // Few, long texts: Ink tokenises every character written each frame, and the trailing
    // padding of the last cell would only overwrite blanks.
    const plain = ` ${fit(oneLine(vm.name), cols.name)} ${fit(oneLine(vm.host), cols.host)} ${fit(stageLabel(ui, vm.stage), cols.stage)} ${fit(t, cols.time, 'right')} `;
    return (
      <Text wrap="truncate-end">
        <Text {...tint(ui, undefined, { inverse: selected })}>{selected ? '›' : ' '}</Text>
        <Text {...tint(ui, STATE_COLOR[vm.state])}>{STATE_ICON[vm.state]}</Text>
        {plain}
        <Text {...tint(ui, STATE_COLOR[vm.state])}>{note ? fit(result, cols.result) : fitEnd(result, cols.result)}</Text>
        {note ? <Text {...tint(ui, vm.error ? 'red' : 'gray')}> {fitEnd(note, cols.note)}</Text> : null}
      </Text>
    );
  },
  (a, b) =>
    a.vm === b.vm &&
    a.cols === b.cols &&
    a.selected === b.selected &&
    (a.vm.finishedAt !== undefined || a.vm.startedAt === undefined || a.now === b.now),
);

/** The per-VM table. Virtualised: only the visible rows are read and rendered. */
export function VmTable(props: VmTableProps) {
  const ui = useUi();
  const m = ui.msg;
  // Same widths object for the same width, so memoised rows are not re-rendered on every update.
  const cols = useMemo(() => vmColumns(props.width), [props.width]);
  const total = props.vms.size;
  const shown = props.matches ? props.matches.length : total;
  const rowLines = vmRowLines(props.lines);
  const title = [
    props.rowsAre === 'host' ? m.hostsTitle({ shown, total }) : props.rowsAre === 'site' ? m.siteTitle : m.vmsTitle({ shown, total }),
    props.filter || props.filtering ? m.vmsFilter({ text: props.filter }) : '',
  ]
    .filter(Boolean)
    .join('  ');
  const heading =
    '  ' +
    [
      fit(props.rowsAre === 'site' ? m.colSite : m.colName, cols.name),
      fit(m.colHost, cols.host),
      fit(m.colStage, cols.stage),
      fit(m.colTime, cols.time, 'right'),
      fit(m.colResult, cols.result),
    ]
      .concat(cols.note > 0 ? [fit(m.colNote, cols.note)] : [])
      .join(' ');
  const rows: ReactElement[] = [];
  for (let p = props.top; p < Math.min(shown, props.top + rowLines); p++) {
    const idx = props.matches ? props.matches[p]! : p;
    const vm = props.vms.get(idx);
    if (!vm) continue;
    rows.push(<VmRow key={vm.id} vm={vm} cols={cols} selected={props.focused && p === props.selected} now={props.now} />);
  }
  const empty = shown === 0 ? (total === 0 ? m.vmsNone : m.vmsNoMatch) : undefined;
  return (
    <Box flexDirection="column" width={props.width} height={props.lines}>
      <Text wrap="truncate-end" {...tint(ui, props.focused ? 'cyan' : undefined, { bold: true })}>
        {fitEnd(`${title}${props.filtering ? '_' : ''}`, props.width)}
      </Text>
      <Text wrap="truncate-end" {...tint(ui, 'gray')}>
        {fitEnd(heading, props.width)}
      </Text>
      {empty ? <Text wrap="truncate-end">{fitEnd(`  ${empty}`, props.width)}</Text> : rows}
    </Box>
  );
}
