import { defineRunner } from '../../capability';
import { definition } from './definition';
import { runSign } from './run';

export default defineRunner(definition, runSign);
