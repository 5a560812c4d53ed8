/** Break: typed confirmation, then `snapmirror quiesce` and `snapmirror break` (skipped when already broken off). */
import { ontapCommands as ontap } from '../../adapters/ontap/commands.js';
import { failoverActions } from '../../failover/actions.js';
import type { FailoverContext } from '../../failover/context.js';
import { pick, type StepModule } from '../step.js';
import type { FailoverPlanContext } from './plan-context.js';

export const breakStep: StepModule<FailoverContext, FailoverPlanContext> = {
  action: 'break-mirror',
  actions: pick(failoverActions, 'break-mirror'),
  plan(p, step) {
    const { m, site, onCluster, example } = p;
    const dest = site.relationship.destination;
    const target = `break:${dest}`;
    return [
      {
        id: step.id,
        title: m.secBreak,
        text: [m.breakIntro],
        steps: [
          {
            id: 'break:confirm',
            title: m.labelConfirm,
            text: [],
            commands: [],
            confirm: { text: m.breakConfirm({ source: site.relationship.source, destination: dest }), type: dest },
          },
          {
            id: 'break:quiesce',
            title: m.breakQuiesceStep,
            target,
            text: [],
            commands: [
              onCluster(ontap.relationships({ destination: dest }), { text: m.breakCheck }),
              onCluster(ontap.quiesce(dest), { expect: m.breakQuiesceExpect, ...example('snapmirrorQuiesce') }),
              onCluster(ontap.relationships({ destination: dest }), { text: m.breakWaitQuiesced({ seconds: p.killSeconds * 4 }) }),
            ],
          },
          {
            id: 'break:break',
            title: m.breakBreakStep,
            target,
            text: [],
            commands: [onCluster(ontap.break(dest), { expect: m.breakBreakExpect })],
          },
          {
            id: 'break:verify',
            title: m.breakVerifyStep,
            target,
            text: [],
            commands: [onCluster(ontap.relationships({ destination: dest }), { expect: m.breakVerifyExpect })],
          },
        ],
      },
    ];
  },
};
