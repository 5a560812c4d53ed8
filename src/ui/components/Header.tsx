import { Text } from 'ink';
import { clock, fit, width as w } from '../text.js';
import { tint, useUi } from '../theme.js';

export interface HeaderProps {
  title: string;
  site: string;
  runId?: string | undefined;
  phase: string;
  /** Absent before the run started: no clock is shown then. */
  elapsedMs?: number | undefined;
  width: number;
}

/** One line: what is running where, and for how long. */
export function Header(props: HeaderProps) {
  const ui = useUi();
  const right = props.elapsedMs === undefined ? ` ${props.phase} ` : ` ${props.phase} · ${clock(Math.max(0, props.elapsedMs))} `;
  const run = props.runId ? [ui.msg.headerRun({ runId: props.runId })] : [];
  const site = ui.msg.headerSite({ site: props.site });
  const leftCols = Math.max(0, props.width - w(right));
  // The run id is what `drbook resume` needs and the title says drill or failover: when the
  // line is short, the site goes first.
  const candidates = [
    [props.title, site, ...run],
    [props.title, ...run],
    ['drbook', ...run],
  ].map((p) => ` ${p.join(' · ')}`);
  const left = candidates.find((c) => w(c) <= leftCols) ?? candidates[candidates.length - 1]!;
  return (
    <Text wrap="truncate-end" {...tint(ui, undefined, { inverse: true, bold: true })}>
      {fit(left, leftCols)}
      {fit(right, props.width - leftCols)}
    </Text>
  );
}
