import { runAction } from '../adapter/run';
import capability from '../../shared/capabilities/trivy-gate';

export const run = (): Promise<void> => runAction(capability);
