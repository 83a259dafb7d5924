import { setFlagsFromString } from 'node:v8';

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
