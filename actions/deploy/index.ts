import { runAction as run } from '../adapter/run';
import capability from '../../shared/capabilities/deploy';

void run(capability);
