/** Report: which VMs come back application-consistent (a backup recorded) and which crash-consistent. Sends nothing. */
import type { HvRecoveryContext } from '../../hyperv/context.js';
import type { StepModule } from '../step.js';
import { clusterTarget, msg } from './helpers.js';
import type { HvPlanContext } from './plan-context.js';

export const hvReportStep: StepModule<HvRecoveryContext, HvPlanContext> = {
  action: 'hv.report',
  actions: {
    'hv.report': {
      targets: (c) => [clusterTarget(c)],
      check: () => 'todo',
      apply(c, _t, io) {
        const m = msg(c);
        const consistent = c.capture.vms.filter((v) => v.backup.lastSuccess !== null).map((v) => v.name);
        const crash = c.capture.vms.filter((v) => v.backup.lastSuccess === null).map((v) => v.name);
        if (consistent.length) io.note('info', m.consistentNote({ vms: consistent.join(', ') }));
        if (crash.length) io.note('warn', m.crashNote({ vms: crash.join(', ') }));
      },
      verify: () => true,
    },
  },
};
