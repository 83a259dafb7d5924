import { runAction } from '../adapter/run';
import capability from '../../shared/capabilities/acr-import';

export const run = (): Promise<void> => runAction(capability);
