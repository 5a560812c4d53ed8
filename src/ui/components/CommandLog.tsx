import { Box, Text } from 'ink';
import type { CommandView } from '../types.js';
import { fit, fitEnd, oneLine, shortDuration, timeOfDay, width as w } from '../text.js';
import { tint, useUi } from '../theme.js';

export interface CommandLogProps {
  log: readonly CommandView[];
  width: number;
  /** Lines for commands (a title line comes on top). */
  lines: number;
}

/** The tail of the live command log: time, host, command, result. */
export function CommandLog(props: CommandLogProps) {
  const ui = useUi();
  const m = ui.msg;
  const tail = props.log.slice(-props.lines);
  const resultText = (c: CommandView) =>
    c.exitCode === undefined
      ? m.logRunning
      : `${m.logExit({ code: c.exitCode === null ? '-' : String(c.exitCode) })} ${shortDuration(c.durationMs ?? 0)}`;
  const hostCols = Math.min(props.width >= 120 ? 24 : 16, Math.max(6, ...tail.map((c) => w(c.host))));
  const resultCols = Math.max(8, ...tail.map((c) => w(resultText(c))));
  const rows = tail.map((c) => {
    const result = resultText(c);
    const color = c.exitCode === undefined ? 'cyan' : c.exitCode === 0 && !c.error ? 'gray' : 'red';
    const fixed = 9 + hostCols + 1 + resultCols + 1;
    return (
      <Text key={c.id} wrap="truncate-end">
        <Text {...tint(ui, 'gray')}>{timeOfDay(c.startedAt)} </Text>
        <Text>{fit(oneLine(c.host), hostCols)} </Text>
        <Text>{fit(oneLine(c.command), Math.max(0, props.width - fixed))} </Text>
        <Text {...tint(ui, color)}>{fitEnd(result, resultCols)}</Text>
      </Text>
    );
  });
  const pad: string[] = [];
  for (let i = Math.max(rows.length, tail.length === 0 ? 1 : 0); i < props.lines; i++) pad.push('');
  return (
    <Box flexDirection="column" width={props.width}>
      <Text wrap="truncate-end" {...tint(ui, undefined, { bold: true })}>
        {fitEnd(m.logTitle, props.width)}
      </Text>
      {tail.length === 0 ? (
        <Text wrap="truncate-end" {...tint(ui, 'gray')}>
          {fitEnd(`  ${m.logEmpty}`, props.width)}
        </Text>
      ) : (
        rows
      )}
      {pad.map((_, i) => (
        <Text key={`pad${i}`}> </Text>
      ))}
    </Box>
  );
}
