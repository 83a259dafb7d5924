import type { Readable } from 'node:stream';
import { UserError } from '../errors';
import { answeredHtml, readAtMost, type HttpClient, type HttpResponse, type RequestBody } from '../http/client';
import { classify, parseRemoteBody, RemoteError } from '../remote-error';
import { RegistryAuth, type RegistryCredentials } from './auth';
import { sha256 } from './image';
import { MANIFEST_ACCEPT, MediaType } from './media-types';

interface Send {
  method: string;
  /** Path under the registry (`/v2/…`) or an absolute upload URL from a Location header. */
  url: string;
  headers?: Record<string, string>;
  body?: RequestBody;
  /** false for requests whose body must not be replayed blindly (uploads; the caller resumes them). */
  retry?: boolean;
  what: string;
  expected: number[];
  /** Leave the body of an expected answer unread (HttpResponse.stream), for a caller that limits what it reads. */
  stream?: boolean;
}

/** Redirect statuses a blob GET follows (distribution-spec: a registry may redirect a blob to its storage). */
const REDIRECTS = [301, 302, 303, 307, 308];
/** As many hops as a pre-signed storage URL needs, and far fewer than a loop would make. */
const MAX_REDIRECTS = 5;
/** The most of an error answer's body read for its message. */
const ERROR_BODY_BYTES = 64 * 1024;

/**
 * The distribution-spec push endpoints for one repository: blob HEAD, cross-repository mount, upload sessions
 * (monolithic PUT, chunked PATCH with Content-Range, status GET for resuming), manifest HEAD and PUT; and the reads a
 * push decides by (manifest GET, referrers, a small blob GET). Every request to the registry carries its credentials
 * (never one to another origin a blob GET is redirected to); an expired token is renewed once.
 */
export class RegistryClient {
  readonly auth: RegistryAuth;

  constructor(
    private readonly http: HttpClient,
    readonly baseUrl: string,
    readonly repository: string,
    credentials: RegistryCredentials,
    options: { mountFrom?: string[]; onSecret: (value: string) => void },
  ) {
    const scopes = [
      `repository:${repository}:pull,push`,
      ...(options.mountFrom ?? []).map((r) => `repository:${r}:pull`),
    ];
    this.auth = new RegistryAuth(http, baseUrl, credentials, scopes, options.onSecret);
  }

  get host(): string {
    return new URL(this.baseUrl).host;
  }

  async login(): Promise<void> {
    await this.auth.login();
    const granted = this.auth.grantedActions(this.repository);
    if (granted !== undefined && !granted.includes('push')) throw this.denied();
  }

  /** Size of the blob when this repository has it. */
  async blobSize(digest: string): Promise<number | undefined> {
    const res = await this.send({
      method: 'HEAD',
      url: `/v2/${this.repository}/blobs/${digest}`,
      what: `check blob ${short(digest)}`,
      expected: [200, 404],
    });
    return res.status === 200 ? Number(res.headers['content-length'] ?? NaN) : undefined;
  }

  /**
   * A small blob read whole (a signature envelope), refused when it is larger than `descriptor.size` or `maxBytes`, or
   * its bytes are not `descriptor.digest` (oras-go registry/remote/repository.go blobStore.Fetch also refuses a
   * Content-Length other than the descriptor's size). The registry may answer with a redirect to its storage (Harbor on
   * S3 or Azure Blob Storage answers 307 with a pre-signed URL): it is followed, and the registry's Authorization header
   * goes only to the registry's own origin — the pre-signed URL carries its own authorization, and the registry's
   * credentials must not reach another host. That is the rule Go's net/http applies to every redirect oras-go follows
   * (registry/remote/auth/client.go leaves redirects to net/http, which drops Authorization for another host); here it
   * is the stricter same-origin (scheme, host and port) test.
   */
  async getBlob(descriptor: { digest: string; size: number }, maxBytes: number): Promise<Buffer> {
    const { digest, size } = descriptor;
    const what = `get blob ${short(digest)}`;
    if (!/^sha256:[0-9a-f]{64}$/.test(digest)) throw new UserError(`Cannot ${what}: only sha256 digests are read`);
    if (!Number.isSafeInteger(size) || size < 0 || size > maxBytes)
      throw new UserError(`Refused to ${what}: its descriptor says ${size} bytes, more than the ${maxBytes} read here`);
    const origin = new URL(this.baseUrl).origin;
    let url = `${this.baseUrl}/v2/${this.repository}/blobs/${digest}`;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const own = new URL(url).origin === origin;
      const res = own
        ? await this.send({ method: 'GET', url, what, expected: [200, ...REDIRECTS], stream: true })
        : await this.http.request({ method: 'GET', url, stream: true });
      const host = new URL(url).host;
      const location = res.headers.location;
      if (REDIRECTS.includes(res.status) && location) {
        res.stream?.destroy();
        url = new URL(location, url).toString();
        continue;
      }
      if (res.status !== 200) {
        res.stream?.destroy();
        throw new UserError(`Cannot ${what}: ${host} answered ${res.status}`);
      }
      const declared = res.headers['content-length'];
      if (declared !== undefined && Number(declared) !== size) {
        res.stream?.destroy();
        throw new UserError(`Refused to ${what}: ${host} sends ${declared} bytes, its descriptor says ${size}`);
      }
      const bytes = await readAtMost(res.stream!, size);
      if (bytes === undefined || bytes.length !== size)
        throw new UserError(
          `Refused to ${what}: ${host} sent ${bytes ? bytes.length : 'more'} bytes, its descriptor says ${size}`,
        );
      const actual = sha256(bytes);
      if (actual !== digest) throw new UserError(`Refused to ${what}: ${host} sent bytes with digest ${actual}`);
      return bytes;
    }
    throw new UserError(`Cannot ${what}: more than ${MAX_REDIRECTS} redirects`);
  }

  /** Mounts a blob from another repository of the registry; when the registry cannot, returns the upload it opened. */
  async mount(digest: string, from: string): Promise<{ mounted: true } | { mounted: false; location: string }> {
    const url = `/v2/${this.repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
    const res = await this.send({
      method: 'POST',
      url,
      what: `mount ${short(digest)} from ${from}`,
      expected: [201, 202],
      headers: { 'content-length': '0' },
    });
    return res.status === 201 ? { mounted: true } : { mounted: false, location: this.location(res) };
  }

  async startUpload(): Promise<string> {
    const res = await this.send({
      method: 'POST',
      url: `/v2/${this.repository}/blobs/uploads/`,
      what: 'start a blob upload',
      expected: [202],
      headers: { 'content-length': '0' },
    });
    return this.location(res);
  }

  /**
   * How many bytes the registry holds for an upload session, with the location to continue at; undefined when the
   * session is gone. Distribution signs the offset into the upload URL and cancels a session whose data no longer
   * matches it (a chunk cut off half-way), so after a partial chunk this is usually undefined and the upload restarts.
   */
  async uploadStatus(location: string): Promise<{ offset: number; location: string } | undefined> {
    const res = await this.send({
      method: 'GET',
      url: location,
      what: 'query the upload status',
      expected: [204, 400, 404, 416],
    });
    if (res.status !== 204) return undefined;
    const range = /^(?:bytes=)?0-(\d+)$/.exec(res.headers.range ?? '');
    // Distribution answers `0-0` for an empty upload too; reading it as empty at worst re-sends one byte, which the
    // registry refuses (416) and the upload restarts — never a corrupt blob.
    const end = range ? Number(range[1]) : 0;
    return { offset: end > 0 ? end + 1 : 0, location: res.headers.location ? this.location(res) : location };
  }

  /** One chunk (with Content-Range) or, with `length` undefined, a stream of unknown length; returns the next location. */
  async patch(
    location: string,
    body: () => Readable | AsyncIterable<Buffer>,
    start: number,
    length: number | undefined,
  ): Promise<string> {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (length !== undefined) {
      headers['content-length'] = String(length);
      headers['content-range'] = `${start}-${start + length - 1}`;
    }
    const res = await this.send({
      method: 'PATCH',
      url: location,
      headers,
      body,
      retry: false,
      what: 'upload a blob chunk',
      expected: [202],
    });
    return this.location(res);
  }

  /** Closes an upload with its digest, sending the last (or only) bytes with it; checks the digest the registry stored. */
  async complete(
    location: string,
    digest: string,
    body?: { stream: () => Readable | AsyncIterable<Buffer>; length: number },
  ): Promise<void> {
    const url = new URL(location, this.baseUrl);
    url.searchParams.set('digest', digest);
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-length': String(body?.length ?? 0),
    };
    const res = await this.send({
      method: 'PUT',
      url: url.toString(),
      headers,
      body: body?.stream,
      retry: body === undefined,
      what: `upload blob ${short(digest)}`,
      expected: [201],
    });
    const stored = res.headers['docker-content-digest'];
    if (stored && stored !== digest)
      throw new UserError(`The registry stored blob ${stored}, but the pushed bytes have digest ${digest}`);
  }

  async cancelUpload(location: string): Promise<void> {
    await this.send({ method: 'DELETE', url: location, what: 'cancel an upload', expected: [204, 404, 405] }).catch(
      () => undefined,
    );
  }

  /** The digest of a manifest the repository has under `reference`, or undefined. */
  async manifestDigest(reference: string): Promise<string | undefined> {
    const res = await this.send({
      method: 'HEAD',
      url: `/v2/${this.repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      what: `check manifest ${short(reference)}`,
      expected: [200, 404],
    });
    return res.status === 200 ? (res.headers['docker-content-digest'] ?? reference) : undefined;
  }

  /** The manifest the repository serves for `reference`, checked against its digest; undefined when there is none. */
  async getManifest(reference: string): Promise<{ bytes: Buffer; mediaType: string; digest: string } | undefined> {
    const res = await this.send({
      method: 'GET',
      url: `/v2/${this.repository}/manifests/${reference}`,
      headers: { accept: MANIFEST_ACCEPT },
      what: `get manifest ${reference}`,
      expected: [200, 404],
    });
    if (res.status === 404) return undefined;
    const digest = sha256(res.body);
    const served = res.headers['docker-content-digest'];
    if (served && served !== digest)
      throw new UserError(
        `${this.host} served ${this.repository}:${reference} with digest ${served}, but its bytes have digest ${digest}`,
      );
    return { bytes: res.body, mediaType: (res.headers['content-type'] ?? '').split(';')[0].trim(), digest };
  }

  /**
   * The referrers API (distribution-spec v1.1 `GET /v2/<name>/referrers/<digest>`): the image index listing the
   * manifests whose subject is `digest`, or undefined when the registry does not serve the API (404), in which case
   * clients use the referrers tag schema instead — how oras-go and go-containerregistry decide.
   */
  async referrers(digest: string): Promise<Buffer | undefined> {
    const res = await this.send({
      method: 'GET',
      url: `/v2/${this.repository}/referrers/${digest}`,
      headers: { accept: MediaType.ociIndex },
      what: `list the referrers of ${short(digest)}`,
      expected: [200, 404],
    });
    const type = (res.headers['content-type'] ?? '').split(';')[0].trim();
    return res.status === 200 && type === MediaType.ociIndex ? res.body : undefined;
  }

  /** PUTs a manifest or index under a tag or digest; fails unless the registry's digest is the one computed here. */
  async putManifest(reference: string, mediaType: string, bytes: Buffer, digest: string): Promise<void> {
    const res = await this.send({
      method: 'PUT',
      url: `/v2/${this.repository}/manifests/${reference}`,
      headers: { 'content-type': mediaType },
      body: bytes,
      what: `put manifest ${reference.startsWith('sha256:') ? short(reference) : reference}`,
      expected: [201],
    });
    const stored = res.headers['docker-content-digest'];
    if (stored && stored !== digest) {
      throw new UserError(
        `The registry stored ${this.repository}:${reference} as ${stored}, but the pushed manifest's digest is ${digest}`,
      );
    }
  }

  private location(res: HttpResponse): string {
    const location = res.headers.location;
    if (!location) throw new UserError(`${this.host} answered ${res.status} without a Location header for the upload`);
    return new URL(location, this.baseUrl).toString();
  }

  private async send(req: Send): Promise<HttpResponse> {
    const url = req.url.startsWith('/') ? `${this.baseUrl}${req.url}` : req.url;
    for (let renewed = false; ; renewed = true) {
      const headers = { ...req.headers };
      if (this.auth.header) headers.authorization = this.auth.header;
      const res = await this.http.request({
        method: req.method,
        url,
        headers,
        body: req.body,
        retry: req.retry,
        stream: req.stream,
      });
      if (res.stream && !req.expected.includes(res.status)) {
        // An error answer is read (as far as its message needs) like an unstreamed one.
        res.body = (await readAtMost(res.stream, ERROR_BODY_BYTES)) ?? Buffer.alloc(0);
      }
      if (res.status === 401 && !renewed && (await this.auth.refresh(res))) continue;
      if (req.expected.includes(res.status)) {
        if (answeredHtml(res))
          throw new UserError(
            `${this.host} answered HTML, not the registry API (${req.what}): is this the registry URL (a proxy or a login page in between)?`,
          );
        return res;
      }
      throw this.errorFor(res, req.what);
    }
  }

  private errorFor(res: HttpResponse, what: string): RemoteError {
    const { code, message } = parseRemoteBody(res.body);
    if (res.status === 401) {
      // A token was issued, so the credentials passed the token service: the refusal is about this repository.
      const insufficient =
        /insufficient_scope/.test(res.headers['www-authenticate'] ?? '') || this.auth.scheme === 'bearer';
      return insufficient ? this.denied({ status: 401, code, message }) : this.auth.authFailed(res);
    }
    if (res.status === 403 && classify(403, code) === 'permission') return this.denied({ status: 403, code, message });
    return new RemoteError({
      service: 'Registry',
      operation: `${what} in ${this.host}/${this.repository}`,
      status: res.status,
      code,
      remoteMessage: message,
      account: this.auth.who,
      endpoint: this.host,
      retryAfter: res.headers['retry-after'],
    });
  }

  private denied(answer?: { status: number; code?: string; message?: string }): RemoteError {
    return new RemoteError({
      service: 'Registry',
      operation: `push to ${this.host}/${this.repository}`,
      status: answer?.status ?? 401,
      code: answer?.code,
      remoteMessage: answer?.message,
      account: this.auth.who,
      endpoint: this.host,
      kind: 'permission',
      advice:
        'on Harbor the account needs the project role Developer or above (robot accounts: push permission on the repository)',
    });
  }
}

export function short(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice(0, 19) : digest;
}
