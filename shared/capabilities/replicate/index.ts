import { defineRunner } from '../../capability';
import { definition } from './definition';
import { replicate } from './run';

export default defineRunner(definition, (settings, ctx) => replicate(settings, ctx));
