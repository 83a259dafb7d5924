import type * as V8 from 'node:v8';
import type { Capability } from './capability';
import type { CapabilityDefinition, InputSpec, OutputSpec } from './inputs/definition';

/**
 * Process settings for a step's own process; called only for a step's own run (lazyCapability below, which only the
 * generated entry points use), never by library code (a flag set on import would change every process that loads the
 * module, tests and tools included).
 *
 * undici parses HTTP with llhttp compiled to WebAssembly, and V8 re-compiles it with TurboFan on background threads;
 * a finished step then waits at exit for that work it no longer needs (bench/push/RESULTS.md). Baseline (Liftoff)
 * code parses our few headers and small bodies just as well. Set before the first request, when undici compiles it.
 * `node:v8` is loaded here, not on import: a step stopped by its inputs never needs it (bench/startup).
 */
export function prepareStepProcess(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('node:v8') as typeof V8).setFlagsFromString('--liftoff-only');
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
    run: async (...args) => {
      prepareStepProcess();
      return (await load()).default.run(...args);
    },
  };
}
