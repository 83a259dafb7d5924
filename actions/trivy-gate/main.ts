import { runAction } from '../adapter/run';
import { lazyCapability } from '../../shared/entry-point';
import { definition } from '../../shared/capabilities/trivy-gate/definition';

export const run = (): Promise<void> =>
  runAction(lazyCapability(definition, () => import('../../shared/capabilities/trivy-gate')));
