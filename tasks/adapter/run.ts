import { runCapability, type Capability } from '../../shared/capability';
import type { InputSpec } from '../../shared/inputs/definition';
import { AzureDevOpsPlatform } from './azure-devops-platform';

/**
 * Entry point of every task bundle. azure-pipelines-task-lib is loaded before the inputs are read when reading them
 * needs it (a set service connection or secret, debug logging; AzureDevOpsPlatform.prepare, which runCapability calls
 * inside its error frame), and otherwise once they have passed, before the run does anything: a task stopped by a plain input error never loads it (agent-environment.ts, bench/startup).
 */
export async function runTask<I extends Record<string, InputSpec>>(capability: Capability<I>): Promise<void> {
  const platform = new AzureDevOpsPlatform();
  const { definition } = capability;
  return runCapability(
    {
      definition,
      run: async (settings, context) => {
        await platform.load();
        return capability.run(settings, context);
      },
    },
    platform,
  );
}
