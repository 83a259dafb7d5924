import { runTask as run } from '../adapter/run';
import capability from '../../shared/capabilities/trivy-gate';

void run(capability);
