import { runAction as run } from '../adapter/run';
import capability from '../../shared/capabilities/replicate';

void run(capability);
