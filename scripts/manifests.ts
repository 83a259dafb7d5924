/**
 * Generates everything derived from the capability definitions: ADO task.json, GitHub action.yml, the one-line entry
 * files and the docs tables. `generatedFiles()` is pure, so the staleness test and the build share it. The extension
 * manifest (`vssExtension`) is written only into packaging's staging folder (scripts/package.ts): a copy at the
 * repository root would invite `tfx extension create` there, which packages unstamped task versions and no overview.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Capability } from '../shared/capability';
import { guideTable } from '../shared/helm/guide';
import { camelCase, type CapabilityDefinition, type ConnectionKind, type InputSpec } from '../shared/inputs/definition';

export const ROOT = join(__dirname, '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; description: string };

export const EXTENSION = {
  publisher: 'harbor-pipelines',
  id: 'harbor-pipelines',
  name: 'Harbor Pipelines',
  repository: 'https://github.com/harbor-pipelines/harbor-pipelines',
};

/** Node20_1 needs agent 3.232.1; Node24 needs 4.x agents, which fall back to Node20_1 otherwise. */
const MINIMUM_AGENT = '3.232.1';

/**
 * The Harbor service-connection type this extension contributes. Endpoint type names share one namespace across every
 * installed extension, so a bare `harbor` could collide with another Harbor extension; prefixed with the publisher's
 * name. Final: pipelines and service connections refer to it, so it never changes after release.
 */
export const HARBOR_ENDPOINT_TYPE = 'harborPipelinesHarbor';

const CONNECTION_TYPES: Record<ConnectionKind, string> = {
  harbor: `connectedService:${HARBOR_ENDPOINT_TYPE}`,
  azurerm: 'connectedService:AzureRM',
  kubernetes: 'connectedService:kubernetes',
};

const ACRONYMS: Record<string, string> = {
  url: 'URL',
  tls: 'TLS',
  ca: 'CA',
  id: 'ID',
  acr: 'ACR',
  oidc: 'OIDC',
  ssl: 'SSL',
  sarif: 'SARIF',
  junit: 'JUnit',
  json: 'JSON',
  zrs: 'ZRS',
  kb: 'KB',
  rwx: 'RWX',
};

/** Capabilities are discovered: a folder in shared/capabilities with an index.ts is a shipped step. */
export function loadCapabilities(): Capability[] {
  const dir = join(ROOT, 'shared', 'capabilities');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(join(dir, name)) as { default: Capability };
      if (mod.default?.definition?.id !== name)
        throw new Error(`shared/capabilities/${name}: default export's definition.id must be '${name}'`);
      return mod.default;
    });
}

export function label(spec: { name: string }): string {
  const words = spec.name.split('-').map((w) => ACRONYMS[w] ?? w);
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function onPlatform(spec: InputSpec, platform: 'azure-devops' | 'github'): boolean {
  return !spec.platforms || spec.platforms.includes(platform);
}

export function taskJson(def: CapabilityDefinition): Record<string, unknown> {
  const inputs: Record<string, unknown>[] = [];
  for (const conn of def.connections ?? []) {
    inputs.push(
      clean({
        name: conn.input,
        type: CONNECTION_TYPES[conn.kind],
        label: conn.label,
        required: conn.required ?? true,
        helpMarkDown: conn.description,
        groupName: conn.group,
        visibleRule: conn.visibleRule,
      }),
    );
  }
  for (const spec of Object.values(def.inputs)) {
    if (spec.connection || !onPlatform(spec, 'azure-devops')) continue;
    const input: Record<string, unknown> = {
      name: camelCase(spec.name),
      type: adoType(spec),
      label: label(spec),
      defaultValue: spec.default ?? (spec.type === 'boolean' ? 'false' : ''),
      required: spec.required ?? false,
      helpMarkDown: spec.description,
      groupName: spec.group,
      visibleRule: spec.visibleRule,
    };
    if (spec.type === 'choice') {
      input.options = Object.fromEntries((spec.options ?? []).map((o) => [o, o]));
      input.properties = { EditableOptions: 'False' };
    }
    if (spec.type === 'multiline' || spec.type === 'lines' || spec.type === 'list')
      input.properties = { resizable: true, rows: '4' };
    inputs.push(clean(input));
  }
  const groups = (def.groups ?? []).map(([name, displayName]) => ({ name, displayName, isExpanded: name === 'main' }));
  const target = { target: 'dist/index.js', argumentFormat: '' };
  return clean({
    $schema: 'https://raw.githubusercontent.com/Microsoft/azure-pipelines-task-lib/master/tasks.schema.json',
    id: def.taskId,
    name: def.taskName,
    friendlyName: def.friendlyName,
    description: def.description,
    helpUrl: `${EXTENSION.repository}/blob/main/docs/${def.id}.md`,
    helpMarkDown: `[Documentation](${EXTENSION.repository}/blob/main/docs/${def.id}.md)`,
    category: def.category,
    author: EXTENSION.publisher,
    version: { Major: def.version.major, Minor: def.version.minor, Patch: def.version.patch },
    minimumAgentVersion: MINIMUM_AGENT,
    instanceNameFormat: def.friendlyName,
    groups: groups.length > 0 ? groups : undefined,
    inputs,
    outputVariables: def.outputs.map((o) => ({
      name: camelCase(o.name),
      description: o.description + (o.secret ? ' (secret)' : ''),
    })),
    execution: { Node20_1: target, Node24: target },
  });
}

function adoType(spec: InputSpec): string {
  switch (spec.type) {
    case 'boolean':
      return 'boolean';
    case 'choice':
      return 'pickList';
    case 'multiline':
    case 'lines':
    case 'list':
      return 'multiLine';
    case 'path':
      return 'filePath';
    default:
      return 'string';
  }
}

export function actionYml(def: CapabilityDefinition): string {
  const inputs: Record<string, Record<string, unknown>> = {};
  for (const spec of Object.values(def.inputs)) {
    if (!onPlatform(spec, 'github')) continue;
    const choices = spec.type === 'choice' ? ` One of: ${(spec.options ?? []).join(', ')}.` : '';
    inputs[spec.name] = clean({
      description: spec.description + choices,
      required: spec.required ?? false,
      default: spec.default,
    });
  }
  const outputs = Object.fromEntries(
    def.outputs.map((o) => [o.name, { description: o.description + (o.secret ? ' (masked)' : '') }]),
  );
  const doc = {
    name: def.friendlyName,
    description: def.shortDescription ?? def.description,
    author: EXTENSION.publisher,
    branding: def.branding,
    inputs,
    outputs,
    runs: { using: 'node24', main: 'dist/index.js' },
  };
  return `# Generated from shared/capabilities/${def.id}: edit the definition, then run npm run generate.\n${stringify(doc, { lineWidth: 0 })}`;
}

export function inputsTable(def: CapabilityDefinition): string {
  const rows = [
    '| GitHub input | Azure DevOps input | Type | Required | Default | Description |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const spec of Object.values(def.inputs)) {
    const gh = onPlatform(spec, 'github') ? `\`${spec.name}\`` : '—';
    const ado = !onPlatform(spec, 'azure-devops')
      ? '—'
      : spec.connection
        ? `\`${spec.connection.input}\` (${spec.connection.field})`
        : `\`${camelCase(spec.name)}\``;
    const type = spec.type === 'choice' ? (spec.options ?? []).map((o) => `\`${o}\``).join(' \\| ') : spec.type;
    const text = spec.description.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    rows.push(
      `| ${gh} | ${ado} | ${type} | ${spec.required ? 'yes' : 'no'} | ${spec.default !== undefined ? `\`${spec.default}\`` : ''} | ${text} |`,
    );
  }
  rows.push('', '| GitHub output | Azure DevOps output variable | Secret | Description |', '| --- | --- | --- | --- |');
  for (const o of def.outputs)
    rows.push(`| \`${o.name}\` | \`${camelCase(o.name)}\` | ${o.secret ? 'yes' : 'no'} | ${o.description} |`);
  return rows.join('\n');
}

const START = '<!-- generated:inputs:start -->';
const END = '<!-- generated:inputs:end -->';

export function docsPage(def: CapabilityDefinition, existing: string | undefined): string {
  const block = `${START}\n${inputsTable(def)}\n${END}`;
  if (existing && existing.includes(START) && existing.includes(END)) {
    return existing.slice(0, existing.indexOf(START)) + block + existing.slice(existing.indexOf(END) + END.length);
  }
  return `# ${def.friendlyName}\n\n${def.description}\n\nAzure DevOps: \`${def.taskName}@${def.version.major}\` · GitHub: \`${EXTENSION.publisher}/harbor-pipelines/actions/${def.id}@v1\`\n\n## Inputs and outputs\n\n${block}\n`;
}

/** Further generated blocks in a step's docs page, `<!-- generated:<name>:start -->` … `end -->`. */
const DOC_BLOCKS: Record<string, Record<string, () => string>> = {
  deploy: { profiles: guideTable },
};

function replaceBlock(page: string, name: string, content: string): string {
  const start = `<!-- generated:${name}:start -->`;
  const end = `<!-- generated:${name}:end -->`;
  if (!page.includes(start) || !page.includes(end)) throw new Error(`docs page lacks the ${start} … ${end} markers`);
  return (
    page.slice(0, page.indexOf(start)) + `${start}\n${content}\n${end}` + page.slice(page.indexOf(end) + end.length)
  );
}

export function vssExtension(defs: CapabilityDefinition[]): Record<string, unknown> {
  const taskContributions = defs.map((d) => ({
    id: d.taskName,
    type: 'ms.vss-distributed-task.task',
    targets: ['ms.vss-distributed-task.tasks'],
    properties: { name: `tasks/${d.taskName}` },
  }));
  const usesHarbor = defs.some((d) => d.connections?.some((c) => c.kind === 'harbor'));
  const endpoint = {
    id: 'harbor-service-endpoint',
    description: 'Harbor registry: server URL and a user or robot account',
    type: 'ms.vss-endpoint.service-endpoint-type',
    targets: ['ms.vss-endpoint.endpoint-types'],
    properties: {
      name: HARBOR_ENDPOINT_TYPE,
      displayName: 'Harbor',
      url: { displayName: 'Server URL', helpText: 'Harbor URL, e.g. https://harbor.example.com' },
      inputDescriptors: [
        {
          id: 'acceptUntrustedCerts',
          name: 'Accept untrusted TLS certificates',
          description: 'Skip TLS verification (self-signed certificates). Prefer trusting the CA on the agent.',
          inputMode: 'checkbox',
          isConfidential: false,
          validation: { isRequired: false, dataType: 'boolean' },
          values: { inputMode: 'checkbox', defaultValue: 'false' },
        },
      ],
      authenticationSchemes: [
        {
          type: 'ms.vss-endpoint.endpoint-auth-scheme-basic',
          inputDescriptors: [
            {
              id: 'username',
              name: 'Username',
              description: 'Harbor user or robot account (robot$name)',
              inputMode: 'textbox',
              isConfidential: false,
              validation: { isRequired: true, dataType: 'string' },
            },
            {
              id: 'password',
              name: 'Password',
              description: 'Password or robot secret',
              inputMode: 'passwordbox',
              isConfidential: true,
              validation: { isRequired: true, dataType: 'string' },
            },
          ],
        },
      ],
    },
  };
  return {
    manifestVersion: 1,
    id: EXTENSION.id,
    publisher: EXTENSION.publisher,
    version: pkg.version,
    name: EXTENSION.name,
    description: pkg.description,
    public: false, // the committed manifest; `npm run package` stamps the release flavour public, the dev one private
    categories: ['Azure Pipelines'],
    tags: ['Harbor', 'container registry', 'Trivy', 'ACR', 'Helm', 'replication'],
    targets: [{ id: 'Microsoft.VisualStudio.Services' }],
    icons: { default: 'images/icon.png' },
    content: { details: { path: 'overview.md' }, license: { path: 'LICENSE' } },
    links: {
      home: { uri: EXTENSION.repository },
      getstarted: { uri: `${EXTENSION.repository}/blob/main/docs/marketplace-overview.md` },
      learn: { uri: `${EXTENSION.repository}/blob/main/docs/pipelines.md` },
      support: { uri: `${EXTENSION.repository}/issues` },
      repository: { uri: EXTENSION.repository },
      issues: { uri: `${EXTENSION.repository}/issues` },
      license: { uri: `${EXTENSION.repository}/blob/main/LICENSE` },
    },
    repository: { type: 'git', uri: EXTENSION.repository },
    files: [{ path: 'images', addressable: true }, ...defs.map((d) => ({ path: `tasks/${d.taskName}` }))],
    contributions: [...(usesHarbor ? [endpoint] : []), ...taskContributions],
  };
}

/**
 * Entry points name the step's definition and load its run on first use (shared/entry-point.ts `lazyCapability`):
 * the bundler splits at the `import()`, so a step stopped by its inputs never compiles the rest.
 */
function lazyStep(id: string): string {
  return `lazyCapability(definition, () => import('../../shared/capabilities/${id}'))`;
}

function stepImports(id: string): string {
  return `import { lazyCapability } from '../../shared/entry-point';\nimport { definition } from '../../shared/capabilities/${id}/definition';\n`;
}

export function entryFile(kind: 'action' | 'task', id: string): string {
  if (kind === 'action') return "import { run } from './main';\n\nvoid run();\n";
  return `import { runTask as run } from '../adapter/run';\n${stepImports(id)}\nvoid run(${lazyStep(id)});\n`;
}

/** The action's logic module: what GitHub's local-action runs (`local-action run actions/<id> main.ts <env file>`: the entry is relative to the action folder). */
export function actionMainFile(id: string): string {
  return `import { runAction } from '../adapter/run';\n${stepImports(id)}\nexport const run = (): Promise<void> =>\n  runAction(${lazyStep(id)});\n`;
}

/** Every generated file: relative path → content. */
export function generatedFiles(capabilities: Capability[] = loadCapabilities()): Map<string, string> {
  const files = new Map<string, string>();
  const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
  for (const { definition: def } of capabilities) {
    files.set(`tasks/${def.taskName}/task.json`, json(taskJson(def)));
    files.set(`tasks/${def.taskName}/index.ts`, entryFile('task', def.id));
    files.set(`actions/${def.id}/action.yml`, actionYml(def));
    files.set(`actions/${def.id}/index.ts`, entryFile('action', def.id));
    files.set(`actions/${def.id}/main.ts`, actionMainFile(def.id));
    const docPath = join(ROOT, 'docs', `${def.id}.md`);
    let page = docsPage(def, existsSync(docPath) ? readFileSync(docPath, 'utf8') : undefined);
    for (const [name, render] of Object.entries(DOC_BLOCKS[def.id] ?? {})) page = replaceBlock(page, name, render());
    files.set(`docs/${def.id}.md`, page);
  }
  return files;
}

function clean<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
