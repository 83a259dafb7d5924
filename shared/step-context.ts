import { resolve } from 'node:path';
import { HttpClient, type HttpOptions } from './http/client';
import { loadTrust, type TrustInputs } from './http/trust';
import { camelCase, type CapabilityDefinition, type InputSpec, type OutputSpec } from './inputs/definition';
import type { Platform } from './platform';
import { systemClock, type Clock } from './util/clock';

/**
 * What a step works with besides its settings: input names as the user spells them, its declared outputs, one clock
 * and one HTTP factory. `runCapability` builds it once and hands it to the step's run; steps never rebuild these.
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

/** The context a step defined by `D` receives. */
export type ContextOf<D> = D extends CapabilityDefinition<infer I, infer O> ? StepContext<I, O> : never;

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

/**
 * The shared HTTP layer configured from the step's TLS inputs and the runner's proxy/CA settings. CA files are read
 * (and `insecure` warned about) here, as part of opening the step's settings.
 */
export function httpClientFor(
  platform: Platform,
  options: Pick<TrustInputs, 'caFile' | 'caFileInput' | 'insecure'> &
    Pick<HttpOptions, 'timeoutMs' | 'retry' | 'budget' | 'tlsFix'> = {},
): HttpClient {
  const { caFile, caFileInput, insecure, ...rest } = options;
  const network = platform.network();
  return new HttpClient({
    ...rest,
    ...loadTrust({ caFile, caFileInput, insecure, network, warning: (m) => platform.warning(m) }),
    network,
    userAgent: `harbor-pipelines (${platform.kind})`,
    debug: (m) => platform.debug(m),
    info: (m) => platform.info(m),
  });
}

/** A path input as the user means it: relative to the workspace (the checkout), absolute as given. */
export function workspacePath(platform: Platform, file: string): string {
  return resolve(platform.workspaceDir(), file);
}
