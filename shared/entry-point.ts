import type { Capability } from './capability';
import type { CapabilityDefinition, InputSpec, OutputSpec } from './inputs/definition';

/**
 * A step whose run module (HTTP client, registry and Harbor clients, reports…) is loaded only once its inputs have
 * been read: the bundler puts what `load` imports into a separate chunk, so a run that stops at an input error
 * compiles and initialises only the adapter, the definition and input parsing (bench/startup).
 */
export function lazyCapability<I extends Record<string, InputSpec>, O extends readonly OutputSpec[]>(
  definition: CapabilityDefinition<I, O>,
  load: () => Promise<{ default: Capability<I, O> }>,
): Capability<I, O> {
  return {
    definition,
    run: async (...args) => (await load()).default.run(...args),
  };
}
