import { runAction } from '../adapter/run';
import capability from '../../shared/capabilities/deploy';

export const run = (): Promise<void> => runAction(capability);
