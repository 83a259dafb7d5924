import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../errors';
import type { Platform } from '../../platform';
import type { ImageSource, LoadOptions } from '../image';
import { openDockerArchive } from './docker-archive';

/**
 * `docker:<image>`: an image in a local Docker daemon, exported with `docker save` into a private temp file (0600,
 * removed when the push ends) and read as a docker-archive. Needs the docker CLI and a daemon; every other source is
 * daemonless.
 */
export async function openDockerDaemon(
  image: string,
  platform: Platform,
  options: LoadOptions = {},
): Promise<ImageSource> {
  if (!image) throw new UserError('docker: needs an image name, e.g. docker:myapp:1.0');
  const docker = await platform.which('docker');
  if (!docker) {
    throw new UserError(
      `docker:${image} needs the docker CLI, which is not on PATH; push from files instead (oci:<dir> or docker-archive:<file>)`,
    );
  }
  const dir = await fs.mkdtemp(join(platform.tempDir(), 'push-docker-'));
  await fs.chmod(dir, 0o700);
  const file = join(dir, 'image.tar');
  const cleanup = () => fs.rm(dir, { recursive: true, force: true });
  try {
    const result = await platform.exec(docker, ['image', 'save', '--output', file, image], {
      silent: true,
      ignoreReturnCode: true,
    });
    if (result.code !== 0) {
      const why = (result.stderr || result.stdout).trim().split('\n')[0] || `exit code ${result.code}`;
      throw new UserError(`docker image save ${image} failed: ${why}`);
    }
    await fs.chmod(file, 0o600);
    const source = await openDockerArchive(file, options);
    return { ...source, description: `local docker image ${image}`, close: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
