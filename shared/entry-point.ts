import { setFlagsFromString } from 'node:v8';
import type { Capability } from './capability';
import type { CapabilityDefinition, InputSpec, OutputSpec } from './inputs/definition';

/**
 * Process settings for a step's own process; called by the two adapters' entry points only, never by library code
 * (a flag set on import would change every process that loads the module, tests and tools included).
 *
 * undici parses HTTP with llhttp compiled to WebAssembly, and V8 re-compiles it with TurboFan on background threads;
 * a finished step then waits at exit for that work it no longer needs (bench/push/RESULTS.md). Baseline (Liftoff)
 * code parses our few headers and small bodies just as well. Set before the first request, when undici compiles it.
 */
export function prepareStepProcess(): void {
  setFlagsFromString('--liftoff-only');
}

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
