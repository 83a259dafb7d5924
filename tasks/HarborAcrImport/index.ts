import { runTask as run } from '../adapter/run';
import capability from '../../shared/capabilities/acr-import';

void run(capability);
