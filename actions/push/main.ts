import { runAction } from '../adapter/run';
import capability from '../../shared/capabilities/push';

export const run = (): Promise<void> => runAction(capability);
