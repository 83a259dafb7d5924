import { defineRunner } from '../../capability';
import { definition } from './definition';
import { runAcrToken } from './run';

export default defineRunner(definition, runAcrToken);
