/** vCenter: registers it from the mirror, waits for its restore from Windows Server Backup (a checklist), powers it on. */
import { failoverActions } from '../../failover/actions.js';
import { recoverTargetId, type FailoverContext } from '../../failover/context.js';
import { pick, type StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';
import { esxiCommands as esxi } from '../../adapters/esxi/commands.js';
import { NEW_VMID } from './plan-context.js';
import { powerOnCommands, reachableStep, registerCommands } from './vm-commands.js';

export const vcenterStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'vcenter',
  actions: pick(failoverActions, 'vcenter', 'register', 'restore-backup', 'power-on', 'heartbeat'),
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
