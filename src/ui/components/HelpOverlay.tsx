import { Box, Text } from 'ink';
import { fit } from '../text.js';
import { tint, useUi } from '../theme.js';

export function HelpOverlay(props: { width: number; lines: number }) {
  const ui = useUi();
  const rows = [ui.msg.helpTitle, '', ...ui.msg.helpLines];
  while (rows.length < props.lines) rows.push('');
  return (
    <Box flexDirection="column" width={props.width}>
      {rows.slice(0, props.lines).map((r, i) => (
        <Text key={i} wrap="truncate-end" {...tint(ui, undefined, { bold: i === 0 })}>
          {fit(`  ${r}`, props.width)}
        </Text>
      ))}
    </Box>
  );
}
