import type { HarborEmulator } from './harbor-emulator';
import { makeImage } from './make-image';
import type { RegistryHandle } from './registry-launcher';
import { skopeoCopy, type RegistryAccess } from './skopeo';

/** Filling the sandbox's registries with images: shared by the integration tests, the benches and the hostile suite. */

/** skopeo's access to the emulator's registry, with the emulator's own (not a Harbor user's) credentials. */
export function harborAccess(harbor: HarborEmulator): RegistryAccess {
  return { host: harbor.host, ...harbor.internalCredentials };
}

/** skopeo's access to a sandbox registry as its first user. */
export function registryAccess(registry: RegistryHandle): RegistryAccess {
  return { host: registry.host, ...registry.users[0] };
}

/** Pushes a fresh image to `repository:tag` and returns its digest. */
export async function seedImage(access: RegistryAccess, repository: string, tag: string): Promise<string> {
  const image = makeImage({ tag });
  await skopeoCopy(image.ref, `docker://${access.host}/${repository}:${tag}`, { dest: access });
  return image.digest;
}
