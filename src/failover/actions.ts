/**
 * The named helpers of runbooks/vsc-snapmirror-failover.yaml. Each stage observes (check), acts
 * (apply) and observes again (verify), so that a resumed run re-checks reality before it repeats
 * anything: a VM already registered is not registered again, a broken mirror is not broken again.
 */
import type { ActionIO, ActionRegistry, CheckResult, Target } from '../engine/runner.js';
import { DrbookError, OperatorError } from '../errors.js';
import { failoverMessages } from '../i18n/failover.js';
import type { FailoverContext } from './context.js';
import { lockdownEnter, lockdownExit } from '../steps/failover/lockdown.js';
import { plan, vmOf, vmidOf, pointOf, quiescePoint } from '../steps/failover/helpers.js';

/**
 * Whether this run already reverted this VM: a revert of this target that the host answered
 * without error. The host cannot show it (before and after a revert the VM is off at the same
 * snapshot), so a resume reads it from the journal instead of reverting twice.
 */
function revertedBefore(ctx: FailoverContext, t: Target): boolean {
  const started = new Set<string>();
  for (const e of ctx.events()) {
    if (e.type === 'command.started' && e.targetId === t.id && e.intent?.op === 'snapshot-revert') started.add(e.id);
    else if (e.type === 'command.finished' && started.has(e.id) && e.exitCode === 0 && !e.error) return true;
  }
  return false;
}

const revert = {
  async check(ctx: FailoverContext, t: Target, io: ActionIO): Promise<CheckResult> {
    const power = await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t));
    if (revertedBefore(ctx, t) && power === 'off') return 'done';
    // Running from the mirror already (an earlier failover, or someone started it): recovered.
    if (power === 'on') return { skip: failoverMessages(ctx.lang).skipRunningNotReverted };
    if (await quiescePoint(ctx, t)) return 'todo';
    const m = failoverMessages(ctx.lang);
    const vm = vmOf(ctx, t);
    if (vm.power !== 'on' && !vm.isVcenter) {
      // Left off (power-on skips it): no crash-consistent question, and a note that says so.
      ctx.facts.crashConsistent.add(t.id);
      io.note('info', m.offNoPointNote({ vm: t.label, power: vm.power }));
      return { skip: m.skipOffNoPoint({ power: vm.power }) };
    }
    const answer = await io.choose({
      key: `crash.${t.id}`,
      title: m.crashTitle({ vm: t.label, snapshot: pointOf(ctx, t)?.snapshot ?? plan(ctx).snapshot }),
      lines: [m.crashWhy, m.crashMeans],
      options: [
        { key: 'power-on', label: m.crashPowerOn },
        { key: 'skip', label: m.crashLeaveOff },
      ],
      default: ctx.options.crashConsistent ?? 'power-on',
      flag: { name: '--crash-consistent', value: ctx.options.crashConsistent, values: ['power-on', 'skip'] },
    });
    ctx.facts.crashConsistent.add(t.id);
    io.note('warn', answer === 'skip' ? m.crashNoteOff({ vm: t.label }) : m.crashNoteOn({ vm: t.label }));
    return answer === 'skip' ? { skip: m.skipCrashOff, end: true } : { skip: m.skipCrashOn };
  },
  async apply(ctx: FailoverContext, t: Target) {
    const qp = await quiescePoint(ctx, t);
    if (qp?.id == null)
      throw new DrbookError(failoverMessages(ctx.lang).errNoSnapshotId({ vm: t.label }), failoverMessages(ctx.lang).errNoSnapshotIdHint);
    // Right before sending: a revert of a running VM throws away what it wrote since.
    const vmid = await vmidOf(ctx, t);
    if ((await ctx.esxi(t.host!).powerState(vmid)) === 'on') {
      throw new OperatorError(
        failoverMessages(ctx.lang).errRevertRunning({ vm: t.label }),
        failoverMessages(ctx.lang).errRevertRunningHint,
      );
    }
    await ctx.esxi(t.host!).revert(vmid, qp.id, true);
  },
  async verify(ctx: FailoverContext, t: Target) {
    const state = await ctx.esxi(t.host!).powerState(await vmidOf(ctx, t));
    return state === 'off' ? (true as const) : failoverMessages(ctx.lang).checkAfterRevert({ state });
  },
};

export const failoverActions: ActionRegistry<FailoverContext> = {
  'lockdown-exit': lockdownExit,
  revert,
  'lockdown-enter': lockdownEnter,
};
