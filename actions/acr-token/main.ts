import { runAction } from '../adapter/run';
import { lazyCapability } from '../../shared/entry-point';
import { definition } from '../../shared/capabilities/acr-token/definition';

export const run = (): Promise<void> =>
  runAction(lazyCapability(definition, () => import('../../shared/capabilities/acr-token')));
