/**
 * Whether the full-screen UI can run: a terminal on both ends, and no CI variable — Ink draws no
 * frames at all when CI or CONTINUOUS_INTEGRATION is set (is-in-ci), so a confirmation would be
 * waiting on a screen nobody can see. Then the plain renderer is used, which says which flag to pass.
 */
export function canUseTerminalUi(ctx: { interactive: boolean; env: NodeJS.ProcessEnv }): boolean {
  const set = (k: string) => k in ctx.env && ctx.env[k] !== '0' && ctx.env[k] !== 'false';
  return ctx.interactive && !set('CI') && !set('CONTINUOUS_INTEGRATION');
}
