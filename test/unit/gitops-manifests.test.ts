/**
 * The GitOps manifests (examples/gitops) and the app's chart (examples/chart/app) that the Helm flows ship.
 *
 * No Argo CD or Flux CRD is among the pinned reference files, so these are not validated against a published schema
 * yet. What is checked here: every document parses, has a known apiVersion/kind, uses only fields the upstream CRDs
 * declare (lists below, copied by hand from the files cited), gives the required ones, and uses enum values the CRDs
 * allow; and the manifests agree with the pipelines (the chart location the examples push to, the fields the GitOps
 * bump rewrites, the media type of the chart layer our push writes). Full schema validation needs these pinned in
 * test/reference/manifest.json (see the note for issue 22):
 *   argoproj/argo-cd          manifests/crds/application-crd.yaml                                (v3.1 tag)
 *   fluxcd/source-controller  config/crd/bases/source.toolkit.fluxcd.io_ocirepositories.yaml     (v1.6 tag)
 *   fluxcd/helm-controller    config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml          (v1.3 tag)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { MediaType } from '../../shared/oci/media-types';
import { ROOT } from '../support/bundles';

type Fields = { [key: string]: Fields | '*' | readonly string[] | 'string' };
interface Kind {
  /** Allowed fields below `spec` (or the top level for a Secret); '*' is free-form, a string list an enum. */
  fields: Fields;
  required: string[];
  source: string;
}

const ref = { name: 'string' } as const;

// Field names from the CRDs' openAPIV3Schema (spec.properties), only the subtrees the examples may use.
const KINDS: Record<string, Kind> = {
  'argoproj.io/v1alpha1/Application': {
    source: 'argoproj/argo-cd manifests/crds/application-crd.yaml',
    required: ['spec.project', 'spec.destination', 'spec.source.repoURL'],
    fields: {
      project: 'string',
      source: {
        repoURL: 'string',
        chart: 'string',
        path: 'string',
        targetRevision: 'string',
        helm: {
          releaseName: 'string',
          valuesObject: '*',
          values: 'string',
          valueFiles: '*',
          parameters: '*',
          passCredentials: 'string',
          skipCrds: 'string',
          version: 'string',
        },
      },
      destination: { server: 'string', namespace: 'string', name: 'string' },
      syncPolicy: {
        automated: { prune: 'string', selfHeal: 'string', allowEmpty: 'string', enabled: 'string' },
        syncOptions: '*',
        retry: '*',
        managedNamespaceMetadata: '*',
      },
      revisionHistoryLimit: 'string',
      ignoreDifferences: '*',
      info: '*',
    },
  },
  'source.toolkit.fluxcd.io/v1/OCIRepository': {
    source: 'fluxcd/source-controller config/crd/bases/source.toolkit.fluxcd.io_ocirepositories.yaml',
    required: ['spec.interval', 'spec.url'],
    fields: {
      interval: 'string',
      url: 'string',
      ref: { tag: 'string', semver: 'string', semverFilter: 'string', digest: 'string' },
      layerSelector: { mediaType: 'string', operation: ['extract', 'copy'] },
      provider: ['generic', 'aws', 'azure', 'gcp'],
      secretRef: ref,
      certSecretRef: ref,
      proxySecretRef: ref,
      serviceAccountName: 'string',
      verify: '*',
      timeout: 'string',
      ignore: 'string',
      insecure: 'string',
      suspend: 'string',
    },
  },
  'helm.toolkit.fluxcd.io/v2/HelmRelease': {
    source: 'fluxcd/helm-controller config/crd/bases/helm.toolkit.fluxcd.io_helmreleases.yaml',
    required: ['spec.interval'],
    fields: {
      interval: 'string',
      chartRef: { kind: ['OCIRepository', 'HelmChart'], name: 'string', namespace: 'string', apiVersion: 'string' },
      releaseName: 'string',
      targetNamespace: 'string',
      storageNamespace: 'string',
      install: {
        createNamespace: 'string',
        crds: ['Skip', 'Create', 'CreateReplace'],
        remediation: '*',
        timeout: 'string',
        disableWait: 'string',
      },
      upgrade: '*',
      rollback: '*',
      uninstall: '*',
      test: '*',
      values: '*',
      valuesFrom: '*',
      dependsOn: '*',
      driftDetection: '*',
      serviceAccountName: 'string',
      suspend: 'string',
      timeout: 'string',
      maxHistory: 'string',
    },
  },
  // Argo CD's declarative repository (docs/operator-manual/declarative-setup.md: Helm/OCI repositories).
  'v1/Secret': {
    source: 'argoproj/argo-cd docs/operator-manual/declarative-setup.md',
    required: ['stringData.type', 'stringData.url', 'metadata.labels'],
    fields: {
      name: 'string',
      type: ['git', 'helm'],
      enableOCI: ['true', 'false'],
      url: 'string',
      username: 'string',
      password: 'string',
      project: 'string',
    },
  },
};

function problems(fields: Fields, value: unknown, path: string): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${path}: must be a mapping`];
  const out: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const rule = fields[key];
    const here = `${path}.${key}`;
    if (rule === undefined) out.push(`${here}: not a field the CRD declares`);
    else if (Array.isArray(rule)) {
      if (!rule.includes(String(v))) out.push(`${here}: ${JSON.stringify(v)} is not one of ${rule.join(', ')}`);
    } else if (typeof rule === 'object') out.push(...problems(rule as Fields, v, here));
    else if (rule === 'string' && typeof v === 'object' && v !== null) out.push(`${here}: must be a scalar`);
  }
  return out;
}

function get(doc: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      doc,
    );
}

interface Manifest {
  file: string;
  doc: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string; labels?: Record<string, string> };
    spec?: unknown;
    stringData?: unknown;
  };
}

const gitopsDir = join(ROOT, 'examples', 'gitops');
const manifests: Manifest[] = readdirSync(gitopsDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(join(gitopsDir, f), 'utf8')).map((d) => {
      expect(d.errors).toEqual([]);
      return { file: `examples/gitops/${f}`, doc: d.toJS() as Manifest['doc'] };
    }),
  );

function validate(m: Manifest): string[] {
  const kind = KINDS[`${m.doc.apiVersion}/${m.doc.kind}`];
  if (!kind) return [`${m.file}: ${m.doc.apiVersion} ${m.doc.kind} is not a kind these examples know`];
  const out =
    m.doc.kind === 'Secret'
      ? problems(kind.fields, m.doc.stringData, 'stringData')
      : problems(kind.fields, m.doc.spec, 'spec');
  for (const required of [...kind.required, 'metadata.name'])
    if (get(m.doc, required) === undefined) out.push(`${required}: required`);
  return out.map((p) =>
    p.startsWith(m.file) ? p : `${m.file} (${m.doc.kind} ${m.doc.metadata?.name}): ${p} [${kind.source}]`,
  );
}

const byKind = (kind: string): Manifest[] => manifests.filter((m) => m.doc.kind === kind);
const workflow = readFileSync(join(ROOT, 'examples', 'github', 'ci-helm-gitops.yml'), 'utf8');
const chart = parse(readFileSync(join(ROOT, 'examples', 'chart', 'app', 'Chart.yaml'), 'utf8')) as {
  apiVersion: string;
  name: string;
  version: string;
};

describe('examples/gitops', () => {
  it('holds an Argo CD Application with its repository and a Flux OCIRepository with its HelmRelease', () => {
    expect(manifests.map((m) => m.doc.kind).sort()).toEqual([
      'Application',
      'HelmRelease',
      'OCIRepository',
      'OCIRepository',
      'Secret',
    ]);
  });

  it.each(manifests.map((m) => [`${m.file} ${m.doc.kind} ${m.doc.metadata.name}`, m] as const))(
    '%s uses only fields its CRD declares',
    (_label, m) => {
      expect(validate(m)).toEqual([]);
    },
  );

  it('the check fails on a field the CRD does not declare, a bad enum value and a missing required field', () => {
    const [oci] = byKind('OCIRepository');
    const broken = structuredClone(oci);
    const spec = broken.doc.spec as Record<string, unknown>;
    spec.layerSelector = { mediaType: MediaType.helmChart, operation: 'unpack' };
    spec.tag = '1.0.0';
    delete spec.interval;
    expect(validate(broken)).toEqual([
      expect.stringContaining('spec.layerSelector.operation: "unpack" is not one of extract, copy'),
      expect.stringContaining('spec.tag: not a field the CRD declares'),
      expect.stringContaining('spec.interval: required'),
    ]);
  });

  it('points Argo CD and Flux at the chart where the pipelines push it (project charts, repository = chart name)', () => {
    const [app] = byKind('Application');
    expect(get(app.doc, 'spec.source.chart')).toBe(chart.name);
    expect(get(app.doc, 'spec.source.repoURL')).toMatch(/\/charts$/);
    const [secret] = byKind('Secret');
    expect(get(secret.doc, 'stringData.url')).toBe(get(app.doc, 'spec.source.repoURL'));
    expect(secret.doc.metadata.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'repository' });
    expect(workflow).toContain('project: ${{ env.CHART_PROJECT }}');
    expect(workflow).toMatch(/CHART_PROJECT: charts\n/);
    for (const oci of byKind('OCIRepository')) {
      expect(get(oci.doc, 'spec.url')).toMatch(new RegExp(`^oci://[^/]+/charts/${chart.name}$`));
      // The layer our push writes for a chart (shared/oci/media-types.ts), kept as the tarball Flux hands to Helm.
      expect(get(oci.doc, 'spec.layerSelector')).toEqual({ mediaType: MediaType.helmChart, operation: 'copy' });
    }
    const [release] = byKind('HelmRelease');
    expect(get(release.doc, 'spec.chartRef')).toEqual({
      kind: 'OCIRepository',
      name: byKind('OCIRepository')[0].doc.metadata.name,
      namespace: byKind('OCIRepository')[0].doc.metadata.namespace,
    });
  });

  it('has the fields the GitOps bump rewrites', () => {
    expect(workflow).toContain('.spec.source.targetRevision = ');
    expect(workflow).toContain('.spec.ref.tag) = ');
    expect(get(byKind('Application')[0].doc, 'spec.source.targetRevision')).toBeDefined();
    for (const oci of byKind('OCIRepository')) expect(get(oci.doc, 'spec.ref.tag')).toBeDefined();
  });
});

describe('examples/chart/app', () => {
  it('is a Helm v2 chart named app whose templates only read values it defines', () => {
    expect(chart).toMatchObject({ apiVersion: 'v2', name: 'app' });
    const values = parse(readFileSync(join(ROOT, 'examples', 'chart', 'app', 'values.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const templates = join(ROOT, 'examples', 'chart', 'app', 'templates');
    const used = readdirSync(templates).flatMap((f) =>
      [...readFileSync(join(templates, f), 'utf8').matchAll(/\.Values\.([A-Za-z0-9_.]+)/g)].map((m) => m[1]),
    );
    expect(used.length).toBeGreaterThan(3);
    expect(used.filter((path) => get(values, path) === undefined)).toEqual([]);
    expect(get(values, 'image.digest')).toBe('');
  });
});
