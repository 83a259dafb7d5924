import { defineRunner } from '../../capability';
import { definition } from './definition';
import { runDeploy } from './run';

export default defineRunner(definition, runDeploy);
