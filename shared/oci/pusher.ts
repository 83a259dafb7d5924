import { createHash } from 'node:crypto';
import { backoffDelay, DEFAULT_RETRY, retryAfterMs } from '../http/retry';
import { isRetryableNetworkError } from '../http/network-errors';
import { sha256, type BlobSource, type Descriptor, type ManifestSource } from './image';
import { RemoteError } from '../remote-error';
import { short, type RegistryClient } from './registry-client';
import { sleep } from '../util/clock';
import { limiter } from '../util/limit';

export type BlobOutcome = 'uploaded' | 'skipped' | 'mounted';

export interface PushStats {
  layers: Record<BlobOutcome, number>;
  /** Bytes sent over the wire (blob bodies). */
  bytesUploaded: number;
  /** Bytes of every blob and manifest the pushed image references. */
  totalSize: number;
  manifests: number;
  elapsedMs: number;
}

export interface PushOptions {
  /** Blobs transferred at once. */
  concurrency: number;
  /** Blobs larger than this go up in chunks of this size, each resumable. */
  chunkSize: number;
  /** Repositories of the same registry to mount missing blobs from. */
  mountFrom: string[];
  /** Failed attempts in a row, per blob, before an upload gives up (resume or restart after a network error, 5xx or 429). */
  attempts?: number;
  log: (message: string) => void;
  debug: (message: string) => void;
  /** Seconds between progress lines of one long upload. */
  progressIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Refuses a wait between upload attempts that would end past the step's time (see HttpClient.checkWait). */
  checkWait?: (delayMs: number, what: string) => void;
}

export interface PushResult {
  digest: string;
  mediaType: string;
  stats: PushStats;
}

/**
 * Pushes a manifest graph: all blobs (in parallel, skipping what the repository has, mounting what a sibling
 * repository has), then child manifests by digest, and only then the root under every tag — so no tag ever points at
 * something half-pushed. Digests are checked against the registry's at every step.
 */
export class Pusher {
  private readonly stats: PushStats = {
    layers: { uploaded: 0, skipped: 0, mounted: 0 },
    bytesUploaded: 0,
    totalSize: 0,
    manifests: 0,
    elapsedMs: 0,
  };
  private readonly blobs = new Map<string, Promise<Descriptor>>();
  private readonly sized = new Set<string>();
  private readonly sleep: (ms: number) => Promise<void>;
  /** A transfer slot; HEADs, mounts and uploads of one blob share a slot. */
  private readonly limited: <T>(fn: () => Promise<T>) => Promise<T>;
  private readonly now: () => number;

  constructor(
    private readonly registry: RegistryClient,
    private readonly options: PushOptions,
  ) {
    this.sleep = options.sleep ?? sleep;
    this.limited = limiter(options.concurrency);
    this.now = options.now ?? Date.now;
  }

  async push(root: ManifestSource, tags: string[]): Promise<PushResult> {
    const started = this.now();
    const { descriptor, bytes } =
      (await this.equivalentUnderTag(root, tags)) ?? (await this.pushManifest(root, tags.length === 0));
    for (const tag of tags) await this.registry.putManifest(tag, descriptor.mediaType, bytes, descriptor.digest);
    this.stats.elapsedMs = this.now() - started;
    return { digest: descriptor.digest, mediaType: descriptor.mediaType, stats: this.stats };
  }

  /**
   * An image whose layers are compressed on the way has no digest until it is pushed, so the manifest HEAD cannot
   * find it. But the config lists the uncompressed layers (diff_ids): a tag that already holds a manifest with the same
   * config and the same layer types holds this very image, and a re-run is re-tagging, not re-uploading.
   */
  private async equivalentUnderTag(
    root: ManifestSource,
    tags: string[],
  ): Promise<{ descriptor: Descriptor; bytes: Buffer } | undefined> {
    const config = root.blobs[0];
    if (root.bytes || !root.build || root.children.length > 0 || !config?.digest) return undefined;
    for (const tag of tags) {
      const existing = await this.registry.getManifest(tag);
      if (!existing || existing.mediaType !== root.mediaType) continue;
      const json = JSON.parse(existing.bytes.toString('utf8')) as { config?: Descriptor; layers?: Descriptor[] };
      const layers = root.blobs.slice(1);
      const same =
        json.config?.digest === config.digest &&
        json.layers?.length === layers.length &&
        json.layers.every((l, i) => l.mediaType === layers[i].mediaType);
      if (!same) continue;
      this.options.log(
        `  skipped all layers: ${tag} already holds this image (${short(existing.digest)}, same config ${short(config.digest)})`,
      );
      this.stats.manifests++;
      this.stats.totalSize +=
        existing.bytes.length + (json.config?.size ?? 0) + json.layers!.reduce((sum, l) => sum + l.size, 0);
      this.stats.layers.skipped += layers.length;
      return {
        descriptor: { mediaType: existing.mediaType, digest: existing.digest, size: existing.bytes.length },
        bytes: existing.bytes,
      };
    }
    return undefined;
  }

  /** Everything under `manifest`, then the manifest itself by digest (the root only when it has no tags). */
  private async pushManifest(
    manifest: ManifestSource,
    putByDigest: boolean,
  ): Promise<{ descriptor: Descriptor; bytes: Buffer }> {
    if (manifest.bytes) {
      const digest = sha256(manifest.bytes);
      if ((await this.registry.manifestDigest(digest)) === digest) {
        // The registry only accepts a manifest whose blobs and children it has, so the whole graph is there.
        this.options.log(`  skipped manifest ${short(digest)} (already in ${this.registry.repository})`);
        this.countExisting(manifest);
        return { descriptor: this.describe(manifest, digest, manifest.bytes), bytes: manifest.bytes };
      }
    }
    const [children, blobs] = await Promise.all([
      Promise.all(manifest.children.map(async (child) => (await this.pushManifest(child, true)).descriptor)),
      Promise.all(manifest.blobs.map((blob) => this.pushBlob(blob))),
    ]);
    const bytes = manifest.bytes ?? manifest.build!(blobs, children);
    const digest = sha256(bytes);
    if (putByDigest) await this.registry.putManifest(digest, manifest.mediaType, bytes, digest);
    this.stats.manifests++;
    this.stats.totalSize += bytes.length;
    return { descriptor: this.describe(manifest, digest, bytes), bytes };
  }

  private describe(manifest: ManifestSource, digest: string, bytes: Buffer): Descriptor {
    return {
      mediaType: manifest.mediaType,
      digest,
      size: bytes.length,
      ...(manifest.platform ? { platform: manifest.platform } : {}),
    };
  }

  /** Counts a manifest found in the registry, so size and skipped layers are reported the same on every re-push. */
  private countExisting(manifest: ManifestSource): void {
    this.stats.manifests++;
    this.stats.totalSize += manifest.bytes?.length ?? 0;
    for (const child of manifest.children) this.countExisting(child);
    for (const blob of manifest.blobs) {
      if (blob.digest && this.sized.has(blob.digest)) continue;
      if (blob.digest) this.sized.add(blob.digest);
      this.stats.totalSize += blob.size ?? 0;
      if (blob.label !== 'config') this.stats.layers.skipped++;
    }
  }

  private pushBlob(blob: BlobSource): Promise<Descriptor> {
    if (!blob.digest || blob.size === undefined) return this.limited(() => this.uploadStreamed(blob));
    const existing = this.blobs.get(blob.digest);
    if (existing) return existing;
    const digest = blob.digest;
    const size = blob.size;
    const task = this.limited(async () => {
      const { outcome, from } = await this.transfer(blob, digest, size);
      this.record(blob, outcome, digest, size, from);
      return { mediaType: blob.mediaType, digest, size };
    });
    this.blobs.set(digest, task);
    return task;
  }

  private record(blob: BlobSource, outcome: BlobOutcome, digest: string, size: number, from?: string): void {
    if (!this.sized.has(digest)) {
      this.sized.add(digest);
      this.stats.totalSize += size;
    }
    if (blob.label !== 'config') this.stats.layers[outcome]++;
    if (outcome !== 'uploaded')
      this.options.log(
        `  ${outcome} ${blob.label} ${short(digest)} ${formatBytes(size)}${from ? ` from ${from}` : ' (already in the repository)'}`,
      );
  }

  private async transfer(
    blob: BlobSource,
    digest: string,
    size: number,
  ): Promise<{ outcome: BlobOutcome; from?: string }> {
    if ((await this.registry.blobSize(digest)) !== undefined) return { outcome: 'skipped' };
    let location: string | undefined;
    for (const [i, from] of this.options.mountFrom.entries()) {
      const mount = await this.registry.mount(digest, from);
      if (mount.mounted) return { outcome: 'mounted', from };
      // The registry opened an upload instead; use it unless another repository is still to be tried.
      if (i === this.options.mountFrom.length - 1) location = mount.location;
      else await this.registry.cancelUpload(mount.location);
    }
    await this.uploadKnown(blob, digest, size, location);
    return { outcome: 'uploaded' };
  }

  /**
   * A blob of known digest and size: one PUT when it fits in a chunk, otherwise PATCHes of `chunkSize` bytes. After
   * a network error, 5xx or 429, a chunked upload asks the registry how far it got and resumes from there; a
   * monolithic one starts a new session.
   */
  private async uploadKnown(blob: BlobSource, digest: string, size: number, opened?: string): Promise<void> {
    const chunkSize = this.options.chunkSize;
    const chunked = size > chunkSize;
    const progress = this.progress(blob, digest, size);
    let location = opened ?? (await this.registry.startUpload());
    let offset = 0;
    try {
      // The budget counts failures in a row: a long upload over a flaky link keeps going as long as chunks land.
      for (let failures = 1; ; failures++) {
        try {
          if (!chunked) {
            await this.registry.complete(location, digest, {
              stream: () => progress.count(read(blob, 0, size)),
              length: size,
            });
          } else {
            while (offset < size) {
              const end = Math.min(offset + chunkSize, size);
              const from = offset;
              location = await this.registry.patch(
                location,
                () => progress.count(read(blob, from, end)),
                from,
                end - from,
              );
              offset = end;
              failures = 1;
            }
            await this.registry.complete(location, digest);
          }
          this.stats.bytesUploaded += size;
          progress.done(size);
          return;
        } catch (error) {
          await this.backoffOrThrow(error, failures, `${blob.label} ${short(digest)}`);
          const held = chunked ? await this.registry.uploadStatus(location) : undefined;
          if (held === undefined || held.offset > size) {
            await this.registry.cancelUpload(location);
            location = await this.registry.startUpload();
            offset = 0;
          } else {
            ({ offset, location } = held);
          }
          progress.reset(offset);
          this.options.debug(`resuming ${blob.label} ${short(digest)} at byte ${offset}`);
        }
      }
    } finally {
      progress.stop();
    }
  }

  /** A blob produced on the way (gzip): streamed in one PATCH while hashed, then closed with the digest it turned out to have. */
  private async uploadStreamed(blob: BlobSource): Promise<Descriptor> {
    const progress = this.progress(blob, undefined, undefined);
    try {
      for (let attempt = 1; ; attempt++) {
        let hash = createHash('sha256');
        let size = 0;
        try {
          let location = await this.registry.startUpload();
          // The body is opened again when the request is re-sent (a token renewed on a 401): hash only the last send.
          const hashing = () => {
            hash = createHash('sha256');
            size = 0;
            progress.reset(0);
            return progress.count(
              (async function* () {
                for await (const chunk of blob.open() as AsyncIterable<Buffer>) {
                  hash.update(chunk);
                  size += chunk.length;
                  yield chunk;
                }
              })(),
            );
          };
          location = await this.registry.patch(location, hashing, 0, undefined);
          const digest = `sha256:${hash.digest('hex')}`;
          await this.registry.complete(location, digest);
          this.stats.bytesUploaded += size;
          progress.done(size, digest);
          if (!this.sized.has(digest)) {
            this.sized.add(digest);
            this.stats.totalSize += size;
          }
          if (blob.label !== 'config') this.stats.layers.uploaded++;
          return { mediaType: blob.mediaType, digest, size };
        } catch (error) {
          await this.backoffOrThrow(error, attempt, blob.label);
          progress.reset(0);
        }
      }
    } finally {
      progress.stop();
    }
  }

  private async backoffOrThrow(error: unknown, attempt: number, what: string): Promise<void> {
    const attempts = this.options.attempts ?? DEFAULT_RETRY.attempts;
    const retryable =
      error instanceof RemoteError
        ? error.retryable
        : isRetryableNetworkError((error as { cause?: unknown })?.cause ?? error);
    if (!retryable || attempt >= attempts) throw error;
    const hinted =
      error instanceof RemoteError ? retryAfterMs(error.retryAfter, DEFAULT_RETRY.maxRetryAfterMs) : undefined;
    const delay = hinted ?? backoffDelay(attempt, DEFAULT_RETRY);
    this.options.checkWait?.(delay, `while the upload of ${what} waited for attempt ${attempt + 1} of ${attempts}`);
    this.options.debug(
      `upload of ${what} failed (${(error as Error).message}); attempt ${attempt + 1} of ${attempts} in ${delay} ms`,
    );
    await this.sleep(delay);
  }

  private progress(blob: BlobSource, digest: string | undefined, size: number | undefined) {
    const started = this.now();
    let sent = 0;
    const name = () => `${blob.label}${digest ? ` ${short(digest)}` : ''}`;
    const timer = setInterval(() => {
      const total = size !== undefined ? ` of ${formatBytes(size)} (${Math.floor((sent / size) * 100)}%)` : '';
      this.options.log(`  uploading ${name()}: ${formatBytes(sent)}${total}`);
    }, this.options.progressIntervalMs ?? 10_000);
    timer.unref();
    return {
      /** The body as it is sent, counted; chunks pass straight through (nothing is held, see fileChunks). */
      count: async function* (chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
        for await (const chunk of chunks) {
          sent += chunk.length;
          yield chunk;
        }
      },
      reset: (offset: number) => {
        sent = offset;
      },
      done: (bytes: number, learned?: string) => {
        const seconds = Math.max(1, this.now() - started) / 1000;
        this.options.log(
          `  uploaded ${blob.label} ${short(learned ?? digest ?? '')} ${formatBytes(bytes)} in ${seconds.toFixed(1)} s (${formatBytes(bytes / seconds)}/s)`,
        );
      },
      stop: () => clearInterval(timer),
    };
  }
}

/** A known blob's bytes for an upload body: reused buffers where the source has them. */
function read(blob: BlobSource, start: number, end: number): AsyncIterable<Buffer> {
  return blob.chunks ? blob.chunks(start, end) : (blob.open(start, end) as AsyncIterable<Buffer>);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}
