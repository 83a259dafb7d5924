import { runTask as run } from '../adapter/run';
import capability from '../../shared/capabilities/acr-token';

void run(capability);
