import { httpClientFor } from './capability';
import type { HttpClient } from './http/client';
import { camelCase, type CapabilityDefinition, type InputSpec, type OutputSpec } from './inputs/definition';
import type { Platform } from './platform';
import { systemClock, type Clock } from './util/clock';

/**
 * What a step works with besides its settings: input names as the user spells them, its declared outputs, one clock
 * and one HTTP factory. Steps never rebuild these.
 */
export interface StepContext<I extends Record<string, InputSpec>, O extends readonly OutputSpec[]> {
  readonly platform: Platform;
  /** The input's name as the user spells it on this platform (camelCase on Azure DevOps, kebab-case on GitHub). */
  label(key: keyof I & string): string;
  /** Sets one of the step's declared outputs. */
  setOutput(name: O[number]['name'], value: string | number): void;
  /** A parsed setting by its input key. */
  setting(settings: object, key: keyof I & string): unknown;
  readonly clock: Clock;
  /** The shared HTTP layer with the runner's proxy and CA settings (and the given TLS inputs, limits and budget). */
  http(options?: Parameters<typeof httpClientFor>[1]): HttpClient;
}

export function stepContext<I extends Record<string, InputSpec>, const O extends readonly OutputSpec[]>(
  definition: CapabilityDefinition<I, O>,
  platform: Platform,
  clock: Clock = systemClock,
): StepContext<I, O> {
  return {
    platform,
    label: (key) => platform.inputName(definition.inputs[key]),
    setOutput: (name, value) => {
      const spec = definition.outputs.find((o) => o.name === name);
      if (!spec) throw new Error(`${definition.id} declares no output ${name}`);
      platform.setOutput(spec, String(value));
    },
    setting: (settings, key) => (settings as Record<string, unknown>)[camelCase(key)],
    clock,
    http: (options) => httpClientFor(platform, options),
  };
}
