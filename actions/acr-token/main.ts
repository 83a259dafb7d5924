import { runAction } from '../adapter/run';
import capability from '../../shared/capabilities/acr-token';

export const run = (): Promise<void> => runAction(capability);
