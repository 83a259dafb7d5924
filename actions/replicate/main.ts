import { runAction } from '../adapter/run';
import capability from '../../shared/capabilities/replicate';

export const run = (): Promise<void> => runAction(capability);
