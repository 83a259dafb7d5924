import { defineRunner, runCapability } from '../../shared/capability';
import { definition } from '../../shared/capabilities/replicate/definition';
import { replicate } from '../../shared/capabilities/replicate/run';
import { HarborEmulator } from '../sandbox/harbor-emulator';
import { makeImage } from '../sandbox/make-image';
import { RegistryHandle } from '../sandbox/registry-launcher';
import { RegistryAccess, skopeoCopy } from '../sandbox/skopeo';
import { FakePlatform } from '../support/fake-platform';

/** The capability with a quick polling cadence: the emulator finishes in about a second. */
export const fastReplicate = defineRunner(definition, (settings, platform) =>
  replicate(settings, platform, { initialIntervalMs: 100, maxIntervalMs: 300, settleMs: 1500 }),
);

export async function runReplicate(inputs: Record<string, string>): Promise<FakePlatform> {
  const platform = new FakePlatform(inputs);
  await runCapability(fastReplicate, platform);
  return platform;
}

export function harborAccess(harbor: HarborEmulator): RegistryAccess {
  return { host: harbor.host, ...harbor.internalCredentials };
}

export function registryAccess(registry: RegistryHandle): RegistryAccess {
  return { host: registry.host, ...registry.users[0] };
}

/** Pushes a fresh image to `repository:tag` and returns its digest. */
export async function seedImage(access: RegistryAccess, repository: string, tag: string): Promise<string> {
  const image = makeImage({ tag });
  await skopeoCopy(image.ref, `docker://${access.host}/${repository}:${tag}`, { dest: access });
  return image.digest;
}

export function harborInputs(harbor: HarborEmulator): Record<string, string> {
  return { 'harbor-url': harbor.url, username: harbor.admin.username, password: harbor.admin.password };
}
