import { resolve } from 'node:path';
import { oneLine, UserError } from './errors';
import { HttpClient, type HttpOptions } from './http/client';
import { loadTrust, type TrustInputs } from './http/trust';
import type { CapabilityDefinition, InputSpec, SettingsOf } from './inputs/definition';
import { readSettings } from './inputs/parse';
import type { Platform, StepResult } from './platform';
import { redactText } from './redact';

export interface Capability<I extends Record<string, InputSpec> = Record<string, InputSpec>> {
  readonly definition: CapabilityDefinition<I>;
  /** Does the work; returns `succeeded-with-issues` for warnings the pipeline should show, throws to fail. */
  run(settings: SettingsOf<I>, platform: Platform): Promise<StepResult | void>;
}

export function defineRunner<I extends Record<string, InputSpec>>(
  definition: CapabilityDefinition<I>,
  run: (settings: SettingsOf<I>, platform: Platform) => Promise<StepResult | void>,
): Capability<I> {
  return { definition, run };
}

/**
 * The frame every step runs in on every platform: read and validate all inputs first, run, and turn any failure into
 * one line naming what failed. A stack trace is shown only with debug logging on.
 */
export async function runCapability<I extends Record<string, InputSpec>>(
  capability: Capability<I>,
  platform: Platform,
): Promise<void> {
  try {
    const settings = readSettings(capability.definition, platform);
    const result = await capability.run(settings, platform);
    if (result && result !== 'succeeded') platform.setResult(result);
    else platform.setResult('succeeded');
  } catch (error) {
    if (platform.isDebug() && error instanceof Error && error.stack) platform.debug(redactText(error.stack));
    const message = redactText(oneLine(error));
    platform.setResult(
      'failed',
      error instanceof UserError ? message : `${message} (unexpected error; enable debug logging for details)`,
    );
  }
}

/**
 * The shared HTTP layer configured from the step's TLS inputs and the runner's proxy/CA settings. CA files are read
 * (and `insecure` warned about) here, as part of opening the step's settings.
 */
export function httpClientFor(
  platform: Platform,
  options: Pick<TrustInputs, 'caFile' | 'caFileInput' | 'insecure'> &
    Pick<HttpOptions, 'timeoutMs' | 'retry' | 'budget'> = {},
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
