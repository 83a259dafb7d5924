import { oneLine, UserError } from './errors';
import type { CapabilityDefinition, InputSpec, OutputSpec, SettingsOf } from './inputs/definition';
import { readSettings } from './inputs/parse';
import type { Platform, StepResult } from './platform';
import { redactText } from './redact';
import { stepContext, type StepContext } from './step-context';
import type { Clock } from './util/clock';

export { httpClientFor, workspacePath } from './step-context';

export interface Capability<
  I extends Record<string, InputSpec> = Record<string, InputSpec>,
  O extends readonly OutputSpec[] = readonly OutputSpec[],
> {
  readonly definition: CapabilityDefinition<I, O>;
  /** Does the work; returns `succeeded-with-issues` for warnings the pipeline should show, throws to fail. */
  run(settings: SettingsOf<I>, context: StepContext<I, O>): Promise<StepResult | void>;
}

export function defineRunner<I extends Record<string, InputSpec>, const O extends readonly OutputSpec[]>(
  definition: CapabilityDefinition<I, O>,
  run: (settings: SettingsOf<I>, context: StepContext<I, O>) => Promise<StepResult | void>,
): Capability<I, O> {
  return { definition, run };
}

/** What the caller of a step may replace: tests pass a scripted clock so no test waits or races the wall clock. */
export interface RunOptions {
  clock?: Clock;
}

/**
 * The frame every step runs in on every platform: read and validate all inputs first, build the step's one context
 * (labels, outputs, clock, HTTP), run, and turn any failure into one line naming what failed. A stack trace is shown
 * only with debug logging on.
 */
export async function runCapability<I extends Record<string, InputSpec>, O extends readonly OutputSpec[]>(
  capability: Capability<I, O>,
  platform: Platform,
  options: RunOptions = {},
): Promise<void> {
  try {
    await platform.prepare?.(Object.values(capability.definition.inputs));
    const settings = readSettings(capability.definition, platform);
    const result = await capability.run(settings, stepContext(capability.definition, platform, options.clock));
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
