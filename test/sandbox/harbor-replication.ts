import * as fs from 'node:fs';
import * as path from 'node:path';
import { doublestarMatch } from './harbor-doublestar';
import { makeTempDir, removeTempDir } from './child-processes';
import { basicAuth, request } from './net-utils';
import { RegistryClient } from './registry-client';
import { RegistryAccess, skopeoCopy } from './skopeo';

// Harbor's replication semantics, re-stated from its source (goharbor/harbor src/pkg/reg/filter/*.go and
// src/controller/replication/flow/stage.go), so executions copy what real Harbor would copy.

export interface ReplicationFilter {
  type?: string;
  value?: unknown;
  decoration?: string;
}

// Harbor's util.Match (bmatcuk/doublestar, src/pkg/reg/util/pattern.go), the emulator's own implementation.
export { doublestarMatch };

/** repository filter (type "name"): matches or, with decoration "excludes", the complement. */
export function filterRepositories(names: string[], filters: ReplicationFilter[]): string[] {
  let out = names;
  for (const f of filters) {
    if (f.type !== 'name' || typeof f.value !== 'string' || f.value === '') continue;
    const pattern = f.value;
    out = out.filter((n) => doublestarMatch(pattern, n) !== (f.decoration === 'excludes'));
  }
  return out;
}

export interface SourceArtifact {
  repository: string;
  digest: string;
  tags: string[];
}

/** tag filter: keeps only the matching tags of an artifact; an untagged artifact is matched against "". */
export function filterArtifacts(artifacts: SourceArtifact[], filters: ReplicationFilter[]): SourceArtifact[] {
  let out = artifacts;
  for (const f of filters) {
    if (f.type !== 'tag' || typeof f.value !== 'string' || f.value === '') continue;
    const pattern = f.value;
    const keep = (tag: string) => doublestarMatch(pattern, tag) !== (f.decoration === 'excludes');
    out = out.flatMap((a) => {
      if (a.tags.length === 0) return keep('') ? [a] : [];
      const tags = a.tags.filter(keep);
      return tags.length ? [{ ...a, tags }] : [];
    });
  }
  return out;
}

/**
 * Destination repository name (stage.go replaceNamespace): no namespace -> unchanged; count < 0 (legacy, the
 * default -1) -> namespace/<last component>; count n -> namespace + the components after the first n; a count larger
 * than the number of namespace components is an error.
 */
export function replaceNamespace(repository: string, namespace: string | undefined, replaceCount = -1): string {
  if (!namespace) return repository;
  const parts = repository.split('/');
  const name = parts[parts.length - 1];
  if (replaceCount < 0) return `${namespace}/${name}`;
  if (replaceCount > parts.length - 1) {
    throw new Error(
      `the source repository "${repository}" contains only ${parts.length - 1} path components excepting the last one, but the destination namespace flattening level is ${replaceCount}`,
    );
  }
  return [namespace, ...parts.slice(replaceCount, parts.length - 1), name].join('/');
}

/** A registry as the replication job sees it (local Harbor or a registry endpoint). */
export interface ReplicationEndpoint {
  /** 'harbor' speaks the Harbor API for listing and project creation; anything else plain Distribution. */
  type: string;
  url: string;
  username?: string;
  password?: string;
  insecure?: boolean;
  caPem?: string;
}

export function endpointAccess(ep: ReplicationEndpoint, caDir: string): RegistryAccess {
  const u = new URL(ep.url);
  let caFile: string | undefined;
  if (ep.caPem) {
    caFile = path.join(caDir, `ca-${u.port || u.hostname}.crt`);
    fs.writeFileSync(caFile, ep.caPem);
  }
  return {
    host: u.host,
    username: ep.username,
    password: ep.password,
    https: u.protocol === 'https:',
    insecure: ep.insecure,
    caFile,
  };
}

function apiHeaders(ep: ReplicationEndpoint): Record<string, string> {
  return ep.username !== undefined ? { authorization: basicAuth(ep.username, ep.password ?? '') } : {};
}

/** An accessory to copy with its subject: by its tag (a cosign `.sig`) or by digest (a referrer). */
export interface SourceAccessory {
  digest: string;
  tag?: string;
}

/**
 * The accessories Harbor's adapter replicates with an artifact in manual and scheduled runs: the artifact list asks
 * `with_accessory=true` and each accessory is added with its tags, then the accessories of that accessory, recursively
 * (src/pkg/reg/adapter/harbor/v2/client.go listArtifacts, getAccessoryArts; copy.go Run fetches them through
 * fetchResources only when the flow was not handed its resources, i.e. not for an event). The emulator reads the
 * same accessories through the source's referrers API (Harbor's lists every accessory of a digest,
 * src/server/registry/referrers.go) and a cosign one's tag by its name, since its artifact API does not find
 * untagged manifests.
 */
export async function listSourceAccessories(
  ep: ReplicationEndpoint,
  repository: string,
  digest: string,
): Promise<SourceAccessory[]> {
  if (ep.type !== 'harbor') return [];
  const client = registryClientOf(ep);
  const scope = `repository:${repository}:pull`;
  const found: SourceAccessory[] = [];
  const pending = [digest];
  for (let subject = pending.shift(); subject; subject = pending.shift()) {
    const res = await client.send('GET', `/v2/${repository}/referrers/${subject}`, scope, {
      accept: 'application/vnd.oci.image.index.v1+json',
    });
    if (res.status !== 200) throw new Error(`GET referrers of ${repository}@${subject} on ${ep.url}: ${res.status}`);
    const sigTag = `${subject.replace(':', '-')}.sig`;
    const sigDigest = (await client.manifest(repository, sigTag))?.digest;
    for (const m of res.json<{ manifests?: { digest: string }[] }>().manifests ?? []) {
      if (found.some((f) => f.digest === m.digest)) continue;
      found.push({ digest: m.digest, ...(m.digest === sigDigest ? { tag: sigTag } : {}) });
      pending.push(m.digest);
    }
  }
  return found;
}

/** Copies accessories into `destRepo`: a tagged one under its tag, a referrer by digest (digests preserved). */
export function copyAccessories(
  src: ReplicationEndpoint,
  dest: ReplicationEndpoint,
  srcRepo: string,
  destRepo: string,
  accessories: SourceAccessory[],
  log: (line: string) => void,
): Promise<void> {
  const refs = accessories.map((a) => ({ from: `@${a.digest}`, to: a.tag ? `:${a.tag}` : `@${a.digest}` }));
  return copyRefs(src, dest, srcRepo, destRepo, refs, log);
}

/** Lists artifacts the way the adapters do: Harbor through its API, other registries through catalog + tags. */
export async function listSourceArtifacts(ep: ReplicationEndpoint): Promise<SourceArtifact[]> {
  const opts = { ca: ep.caPem, insecure: ep.insecure };
  const base = ep.url.replace(/\/+$/, '');
  if (ep.type === 'harbor') {
    const get = async <T>(p: string): Promise<T[]> => {
      const all: T[] = [];
      for (let page = 1; ; page++) {
        const res = await request(`${base}/api/v2.0${p}${p.includes('?') ? '&' : '?'}page=${page}&page_size=100`, {
          ...opts,
          headers: apiHeaders(ep),
        });
        if (res.status !== 200) throw new Error(`GET ${p} on ${base}: ${res.status} ${res.text()}`);
        const items = res.json<T[]>();
        all.push(...items);
        if (items.length < 100) return all;
      }
    };
    const out: SourceArtifact[] = [];
    for (const project of await get<{ name: string }>('/projects')) {
      for (const repo of await get<{ name: string }>(`/projects/${encodeURIComponent(project.name)}/repositories`)) {
        const short = repo.name.slice(project.name.length + 1);
        const artifacts = await get<{ digest: string; tags?: Array<{ name: string }> | null }>(
          `/projects/${encodeURIComponent(project.name)}/repositories/${encodeURIComponent(encodeURIComponent(short))}/artifacts?with_tag=true`,
        );
        for (const a of artifacts)
          out.push({ repository: repo.name, digest: a.digest, tags: (a.tags ?? []).map((t) => t.name) });
      }
    }
    return out;
  }
  const client = registryClientOf(ep);
  const out: SourceArtifact[] = [];
  for (const repository of await client.catalog()) {
    const byDigest = new Map<string, string[]>();
    for (const tag of await client.tags(repository)) {
      const m = await client.manifest(repository, tag);
      if (m) byDigest.set(m.digest, [...(byDigest.get(m.digest) ?? []), tag]);
    }
    for (const [digest, tags] of byDigest) out.push({ repository, digest, tags });
  }
  return out;
}

/** Harbor's adapter PrepareForPush: create the destination project when the destination is a Harbor. */
export async function prepareHarborProject(ep: ReplicationEndpoint, project: string): Promise<void> {
  if (ep.type !== 'harbor') return;
  const base = ep.url.replace(/\/+$/, '');
  const res = await request(`${base}/api/v2.0/projects`, {
    method: 'POST',
    ca: ep.caPem,
    insecure: ep.insecure,
    headers: { ...apiHeaders(ep), 'content-type': 'application/json' },
    body: JSON.stringify({ project_name: project, metadata: { public: 'false' } }),
  });
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`create project ${project} on ${base}: ${res.status} ${res.text()}`);
}

/** Copies the given tags of one artifact, all platforms, digests preserved. */
export function copyArtifact(
  src: ReplicationEndpoint,
  dest: ReplicationEndpoint,
  srcRepo: string,
  destRepo: string,
  tags: string[],
  log: (line: string) => void,
): Promise<void> {
  return copyRefs(
    src,
    dest,
    srcRepo,
    destRepo,
    tags.map((t) => ({ from: `:${t}`, to: `:${t}` })),
    log,
  );
}

/** Copies each `from` reference (`:tag` or `@digest`) of `srcRepo` to `to` in `destRepo` with skopeo. */
async function copyRefs(
  src: ReplicationEndpoint,
  dest: ReplicationEndpoint,
  srcRepo: string,
  destRepo: string,
  refs: Array<{ from: string; to: string }>,
  log: (line: string) => void,
): Promise<void> {
  const dir = makeTempDir('replication-ca');
  try {
    const s = endpointAccess(src, dir);
    const d = endpointAccess(dest, dir);
    for (const { from, to } of refs) {
      log(`copying ${s.host}/${srcRepo}${to} to ${d.host}/${destRepo}${to}`);
      await skopeoCopy(`docker://${s.host}/${srcRepo}${from}`, `docker://${d.host}/${destRepo}${to}`, {
        src: s,
        dest: d,
      });
    }
  } finally {
    removeTempDir(dir);
  }
}

/** A registry client for a replication endpoint, with its credentials and TLS settings. */
function registryClientOf(ep: ReplicationEndpoint): RegistryClient {
  return new RegistryClient({
    url: ep.url,
    username: ep.username,
    password: ep.password,
    ca: ep.caPem,
    insecure: ep.insecure,
  });
}
