/** vCenter: registers it from the mirror, waits for its restore from Windows Server Backup (a checklist), powers it on. */
import { recoverTargetId, type FailoverContext } from '../../failover/context.js';
import type { StepModule } from '../step.js';
import { heartbeat, powerOn, register } from './recover.js';
import type { FailoverPlanContext } from './plan-context.js';
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { NEW_VMID } from './plan-context.js';
import { powerOnCommands, reachableStep, registerCommands } from './vm-commands.js';
import type { ActionIO, CheckResult, StepInfo, Target, TargetsIO } from '../../engine/runner.js';
import { failoverMessages } from '../../i18n/failover.js';
import { vmTargets } from './helpers.js';

const vcenterSteps = {
  targets: (ctx: FailoverContext, _step: StepInfo, io: TargetsIO) => vmTargets(ctx, io, ctx.vcenter ? [ctx.vcenter] : []),
};

const restoreBackup = {
  check: () => 'todo' as CheckResult,
  async apply(ctx: FailoverContext, t: Target, io: ActionIO) {
    // Declined: the run stops here (resumable); without a terminal, --ack-manual answers it.
    const m = failoverMessages(ctx.lang);
    await io.checklist({
      key: `vcenter.restore.${t.id}`,
      title: m.vcenterTitle({ vm: t.label }),
      items: [m.vcenterRegistered({ vm: t.label, host: t.host!, datastore: ctx.mirror.datastore }), m.vcenterBoot, m.vcenterShutdown],
    });
    io.note('info', m.vcenterAcknowledged({ via: ctx.prompter.via }));
  },
  verify: () => true as const,
};

export const vcenterStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'vcenter',
  actions: { vcenter: vcenterSteps, register: register, 'restore-backup': restoreBackup, 'power-on': powerOn, heartbeat: heartbeat },
  plan(p, step) {
    const { m, vcenter } = p;
    if (!vcenter) return [];
    const target = recoverTargetId(vcenter);
    return [
      {
        id: step.id,
        title: m.secVcenter,
        text: [m.vcenterIntro({ name: vcenter.name, host: vcenter.host })],
        steps: [
          reachableStep(p, 'vcenter:hosts'),
          {
            id: `vcenter:${target}:register`,
            title: m.vcenterRegister({ name: vcenter.name }),
            host: vcenter.host,
            vm: vcenter.name,
            target,
            text: [m.recoverPlaced({ host: vcenter.host, path: vcenter.vmxPath })],
            commands: registerCommands(p, vcenter),
          },
          {
            id: `vcenter:${target}:restore-backup`,
            title: m.vcenterRestore({ name: vcenter.name }),
            host: vcenter.host,
            vm: vcenter.name,
            target,
            text: [m.vcenterRestoreConfirm],
            commands: [],
            checklist: m.vcenterChecklist({ name: vcenter.name, host: vcenter.host, datastore: p.mirrorDs }),
          },
          {
            id: `vcenter:${target}:power-on`,
            title: m.vcenterPowerOn({ name: vcenter.name }),
            host: vcenter.host,
            vm: vcenter.name,
            target,
            text: [],
            commands: [p.onHost(vcenter.host, esxi.powerGetState(NEW_VMID)), ...powerOnCommands(p, vcenter)],
          },
        ],
      },
    ];
  },
};
