/**
 * The failover's actions that other procedures borrow: the drill and the way back exit and
 * re-enter lockdown as the failover does. Every failover step's behaviour is in its module in
 * src/steps/failover/.
 */
import type { ActionRegistry } from '../engine/runner.js';
import { lockdownEnter, lockdownExit } from '../steps/failover/lockdown.js';
import type { FailoverContext } from './context.js';

export const failoverActions: ActionRegistry<FailoverContext> = {
  'lockdown-exit': lockdownExit,
  'lockdown-enter': lockdownEnter,
};
