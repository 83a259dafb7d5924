import { createReadStream, existsSync, promises as fs, statSync } from 'node:fs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { parse } from 'yaml';
import { UserError } from '../../errors';
import { sha256, type BlobSource, type ImageSource } from '../image';
import { MediaType } from '../media-types';
import { tagForChartVersion } from '../reference';
import { fileRange } from '../file-range';

const PROVENANCE = 'application/vnd.cncf.helm.chart.provenance.v1.prov';

/** Helm writes the config as its chart.Metadata struct in JSON; this is that struct's field order. */
const METADATA_FIELDS = [
  'name',
  'home',
  'sources',
  'version',
  'description',
  'keywords',
  'maintainers',
  'icon',
  'apiVersion',
  'condition',
  'tags',
  'appVersion',
  'deprecated',
  'annotations',
  'kubeVersion',
  'dependencies',
  'type',
];

interface ChartMetadata {
  name?: string;
  version?: string;
  description?: string;
  home?: string;
  sources?: string[];
  maintainers?: { name?: string; email?: string }[];
  [key: string]: unknown;
}

/**
 * `chart:<file.tgz>`: a packaged Helm chart as an OCI artifact with Helm's media types (config
 * `application/vnd.cncf.helm.config.v1+json`, one chart layer, the `.prov` file as a second layer when it lies next
 * to the chart), so `helm pull oci://…` and Harbor's chart view read it. The repository defaults to the chart name and
 * the tag to its version, as `helm push` does. No creation time is written, so the same chart always has the same digest.
 */
export async function openHelmChart(file: string): Promise<ImageSource> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UserError(`Chart ${file} does not exist; package it with helm package first`);
  }
  const chartYaml = await readChartYaml(file);
  let metadata: ChartMetadata;
  try {
    metadata = parse(chartYaml) as ChartMetadata;
  } catch (error) {
    throw new UserError(`${file}: Chart.yaml is not valid YAML (${(error as Error).message.split('\n')[0]})`);
  }
  if (!metadata?.name || !metadata.version) throw new UserError(`${file}: Chart.yaml must have a name and a version`);
  const version = String(metadata.version);
  const configBytes = Buffer.from(JSON.stringify(orderedMetadata({ ...metadata, version })));
  const chartBytes = await fs.readFile(file);
  const blob = (mediaType: string, bytes: Buffer, label: string, path: string): BlobSource => ({
    mediaType,
    digest: sha256(bytes),
    size: bytes.length,
    label,
    open: (start = 0, end = bytes.length) => fileRange(path, start, end),
  });
  const config: BlobSource = {
    ...blob(MediaType.helmConfig, configBytes, 'config', file),
    open: (start = 0, end = configBytes.length) => Readable.from([configBytes.subarray(start, end)]),
  };
  const layers = [blob(MediaType.helmChart, chartBytes, `chart ${posix.basename(file)}`, file)];
  const provFile = `${file}.prov`;
  if (existsSync(provFile)) layers.push(blob(PROVENANCE, await fs.readFile(provFile), 'provenance', provFile));
  const annotations: Record<string, string> = {
    'org.opencontainers.image.title': metadata.name,
    'org.opencontainers.image.version': version,
  };
  if (metadata.description) annotations['org.opencontainers.image.description'] = metadata.description;
  if (metadata.home) annotations['org.opencontainers.image.url'] = metadata.home;
  if (metadata.sources?.[0]) annotations['org.opencontainers.image.source'] = metadata.sources[0];
  const authors = (metadata.maintainers ?? [])
    .map((m) => (m.email ? `${m.name} (${m.email})` : m.name))
    .filter(Boolean);
  if (authors.length) annotations['org.opencontainers.image.authors'] = authors.join(', ');
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MediaType.ociManifest,
      config: { mediaType: MediaType.helmConfig, digest: config.digest, size: config.size },
      layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
      annotations,
    }),
  );
  return {
    description: `Helm chart ${metadata.name} ${version} (${file}, ${size} bytes)`,
    root: { mediaType: MediaType.ociManifest, bytes: manifest, blobs: [config, ...layers], children: [] },
    suggested: { repository: metadata.name, tag: tagForChartVersion(version) },
    close: async () => undefined,
  };
}

function orderedMetadata(metadata: ChartMetadata): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of METADATA_FIELDS)
    if (metadata[key] !== undefined && metadata[key] !== null && metadata[key] !== '') out[key] = metadata[key];
  return out;
}

/** Chart.yaml of the chart's top-level directory (`<name>/Chart.yaml`), not of a bundled dependency. */
async function readChartYaml(file: string): Promise<string> {
  let found: string | undefined;
  const parser = extract();
  parser.on('entry', (header, stream, next) => {
    const parts = posix.normalize(header.name).split('/');
    if (found === undefined && parts.length === 2 && parts[1] === 'Chart.yaml' && header.type === 'file') {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        found = Buffer.concat(chunks).toString('utf8');
        next();
      });
    } else {
      stream.on('end', () => next());
      stream.resume();
    }
  });
  try {
    await pipeline(createReadStream(file), createGunzip(), parser);
  } catch (error) {
    throw new UserError(`${file} is not a packaged Helm chart (.tgz): ${(error as Error).message}`);
  }
  if (found === undefined) throw new UserError(`${file} is not a packaged Helm chart: no <name>/Chart.yaml inside`);
  return found;
}
