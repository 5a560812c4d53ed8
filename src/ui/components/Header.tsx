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
  const parts = [props.title, ui.msg.headerSite({ site: props.site })];
  if (props.runId) parts.push(ui.msg.headerRun({ runId: props.runId }));
  const left = ` ${parts.join(' · ')}`;
  const leftCols = Math.max(0, props.width - w(right));
  return (
    <Text wrap="truncate-end" {...tint(ui, undefined, { inverse: true, bold: true })}>
      {fit(left, leftCols)}
      {fit(right, props.width - leftCols)}
    </Text>
  );
}
