import { defineRunner } from '../../capability';
import { definition } from './definition';
import { runPush } from './run';

export default defineRunner(definition, runPush);
