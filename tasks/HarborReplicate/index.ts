import { runTask as run } from '../adapter/run';
import { lazyCapability } from '../../shared/entry-point';
import { definition } from '../../shared/capabilities/replicate/definition';

void run(lazyCapability(definition, () => import('../../shared/capabilities/replicate')));
