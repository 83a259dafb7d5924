import { runTask as run } from '../adapter/run';
import capability from '../../shared/capabilities/push';

void run(capability);
