import { workspacePath } from '../../capability';
import { InputError, UserError } from '../../errors';
import type { Platform } from '../../platform';
import type { ImageSource, LoadOptions } from '../image';
import { openOciLayout } from './oci-layout';

export type Compression = 'auto' | 'gzip' | 'none';

const SOURCE_FORMS = 'oci:<dir>[:<ref>], docker-archive:<file>[:<image>], docker:<image> or chart:<file.tgz>';

/**
 * Opens the image named by a `source` input. Relative paths are taken from the workspace. `auto` compression gzips the
 * uncompressed layers of docker-archive/docker sources (docker save writes them uncompressed) and keeps OCI layouts
 * byte for byte, so a layout's digest is the pushed digest.
 */
export async function openSource(
  source: string,
  compression: Compression,
  platform: Platform,
  label: string,
): Promise<ImageSource> {
  try {
    return await openSourceAs(source, compression, platform, label);
  } catch (error) {
    // Every problem with what `source` names is reported against the input, also a file system error's errno.
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file or directory'
        : code === 'EISDIR'
          ? 'a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : code;
    const text =
      error instanceof UserError
        ? error.message
        : reason
          ? `${(error as NodeJS.ErrnoException).path ?? source}: ${reason}`
          : String(error);
    throw new InputError(`Input '${label}': ${text}`);
  }
}

async function openSourceAs(
  source: string,
  compression: Compression,
  platform: Platform,
  label: string,
): Promise<ImageSource> {
  const colon = source.indexOf(':');
  const kind = colon > 0 ? source.slice(0, colon) : '';
  const rest = source.slice(colon + 1);
  // resolve keeps an absolute path (also a Windows agent's C:\…) and takes a relative one from the workspace.
  const path = (p: string) => workspacePath(platform, p);
  // zlib and the block compressor load only for a source whose layers are gzipped on the way.
  const options = async (defaultGzip: boolean): Promise<LoadOptions> => {
    if (compression !== 'gzip' && !(compression === 'auto' && defaultGzip)) return {};
    const { gzipOnTheFly } = await import('../compress');
    return { compress: (b) => gzipOnTheFly(b) };
  };
  if (!rest) throw new InputError(`Input '${label}' must be ${SOURCE_FORMS} (got '${source}')`);
  // The tar and YAML readers load only for the sources that need them: a re-push of a layout is mostly process start.
  switch (kind) {
    case 'oci':
      return openOciLayout(path(rest), await options(false));
    case 'docker-archive':
      return (await import('./docker-archive')).openDockerArchive(path(rest), await options(true));
    case 'docker':
      return (await import('./docker-daemon')).openDockerDaemon(rest, platform, await options(true));
    case 'chart':
      return (await import('./helm-chart')).openHelmChart(path(rest));
    default:
      throw new InputError(`Input '${label}' must be ${SOURCE_FORMS} (got '${source}')`);
  }
}
