import { runCapability, type Capability } from '../../shared/capability';
import type { InputSpec } from '../../shared/inputs/definition';
import { GitHubPlatform } from './github-platform';

/** Entry point of every action bundle. */
export function runAction<I extends Record<string, InputSpec>>(capability: Capability<I>): Promise<void> {
  return runCapability(capability, new GitHubPlatform());
}
