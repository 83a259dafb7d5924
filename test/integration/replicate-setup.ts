import { defineRunner, runCapability } from '../../shared/capability';
import { definition } from '../../shared/capabilities/replicate/definition';
import { replicate } from '../../shared/capabilities/replicate/run';
import type { HarborEmulator } from '../sandbox/harbor-emulator';
import { FakePlatform } from '../support/fake-platform';

/** The capability with a quick polling cadence: the emulator finishes in about a second. */
export const fastReplicate = defineRunner(definition, (settings, ctx) =>
  replicate(settings, ctx, { initialIntervalMs: 100, maxIntervalMs: 300, settleMs: 1500 }),
);

export async function runReplicate(inputs: Record<string, string>): Promise<FakePlatform> {
  const platform = new FakePlatform(inputs);
  await runCapability(fastReplicate, platform);
  return platform;
}

export function harborInputs(harbor: HarborEmulator): Record<string, string> {
  return { 'harbor-url': harbor.url, username: harbor.admin.username, password: harbor.admin.password };
}
