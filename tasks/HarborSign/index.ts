import { runTask as run } from '../adapter/run';
import capability from '../../shared/capabilities/sign';

void run(capability);
