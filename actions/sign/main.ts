import { runAction } from '../adapter/run';
import capability from '../../shared/capabilities/sign';

export const run = (): Promise<void> => runAction(capability);
