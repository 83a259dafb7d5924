import { defineRunner } from '../../capability';
import { definition } from './definition';
import { importIntoAcr } from './run';

export default defineRunner(definition, importIntoAcr);
