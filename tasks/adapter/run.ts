import { runCapability, type Capability } from '../../shared/capability';
import { prepareStepProcess } from '../../shared/entry-point';
import type { InputSpec } from '../../shared/inputs/definition';
import { AzureDevOpsPlatform } from './azure-devops-platform';

/** Entry point of every task bundle. */
export function runTask<I extends Record<string, InputSpec>>(capability: Capability<I>): Promise<void> {
  prepareStepProcess();
  return runCapability(capability, new AzureDevOpsPlatform());
}
