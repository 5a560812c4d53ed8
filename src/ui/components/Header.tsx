import { Text } from 'ink';
import { clock, fit, width as w } from '../text.js';
import { tint, useUi } from '../theme.js';

export interface HeaderProps {
  title: string;
  site: string;
  runId?: string | undefined;
  phase: string;
  elapsedMs: number;
  width: number;
}

/** One line: what is running where, and for how long. */
export function Header(props: HeaderProps) {
  const ui = useUi();
  const right = ` ${props.phase} · ${clock(props.elapsedMs)} `;
  const run = props.runId ? [ui.msg.headerRun({ runId: props.runId })] : [];
  const site = ui.msg.headerSite({ site: props.site });
  const leftCols = Math.max(0, props.width - w(right));
  // The run id is what `drbook resume` needs: when the line is short, drop words before it.
  const candidates = [[props.title, site, ...run], ['drbook', site, ...run], ['drbook', ...run]].map((p) => ` ${p.join(' · ')}`);
  const left = candidates.find((c) => w(c) <= leftCols) ?? candidates[candidates.length - 1]!;
  return (
    <Text wrap="truncate-end" {...tint(ui, undefined, { inverse: true, bold: true })}>
      {fit(left, leftCols)}
      {fit(right, props.width - leftCols)}
    </Text>
  );
}
