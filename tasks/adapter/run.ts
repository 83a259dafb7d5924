import { runCapability, type Capability } from '../../shared/capability';
import type { InputSpec } from '../../shared/inputs/definition';
import { AzureDevOpsPlatform } from './azure-devops-platform';

/** Entry point of every task bundle. */
export function runTask<I extends Record<string, InputSpec>>(capability: Capability<I>): Promise<void> {
  return runCapability(capability, new AzureDevOpsPlatform());
}
