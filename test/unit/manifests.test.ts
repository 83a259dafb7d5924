import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  actionYml,
  docsPage,
  generatedFiles,
  HARBOR_ENDPOINT_TYPE,
  loadCapabilities,
  taskJson,
  vssExtension,
} from '../../scripts/manifests';
import { devTaskId } from '../../scripts/package';
import { definition as echo } from '../fixtures/echo/capability';
import { ROOT } from '../support/bundles';
import { schemaErrors } from '../support/schemas';

const capabilities = loadCapabilities();
const definitions = [echo, ...capabilities.map((c) => c.definition)];

describe.each(definitions.map((d) => [d.id, d] as const))('generated manifests of %s', (_id, def) => {
  it('task.json validates against the Azure DevOps task schema', () => {
    expect(schemaErrors('azure-devops/task.schema.json', taskJson(def))).toEqual([]);
  });

  it('action.yml validates against the GitHub action schema and runs on node24', () => {
    const action = parse(actionYml(def));
    expect(schemaErrors('github/action.schema.json', action)).toEqual([]);
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('names inputs camelCase on ADO and kebab-case on GitHub, with service connections replacing their fields', () => {
    const task = taskJson(def) as { inputs: { name: string; type: string }[]; execution: Record<string, unknown> };
    const action = parse(actionYml(def)) as { inputs: Record<string, unknown> };
    for (const spec of Object.values(def.inputs)) {
      const camel = spec.name.replace(/-([a-z0-9])/g, (_: string, c: string) => c.toUpperCase());
      const onAdo = task.inputs.some((i) => i.name === camel);
      expect(onAdo).toBe(!spec.connection && (!spec.platforms || spec.platforms.includes('azure-devops')));
      expect(spec.name in action.inputs).toBe(!spec.platforms || spec.platforms.includes('github'));
    }
    for (const conn of def.connections ?? [])
      expect(task.inputs.find((i) => i.name === conn.input)?.type).toMatch(/^connectedService:/);
    expect(Object.keys(task.execution)).toEqual(['Node20_1', 'Node24']);
  });
});

describe('vss-extension.json', () => {
  it('validates against the extension manifest schema and contributes every task and the Harbor endpoint', () => {
    const manifest = vssExtension(definitions) as { contributions: { id: string; type: string }[] };
    expect(schemaErrors('azure-devops/vss-extension.schema.json', manifest)).toEqual([]);
    expect(manifest.contributions.map((c) => c.id)).toEqual([
      'harbor-service-endpoint',
      ...definitions.map((d) => d.taskName),
    ]);
  });

  it('uses the final, collision-safe names: every task Harbor-prefixed, one prefixed endpoint type the tasks refer to', () => {
    const manifest = vssExtension(definitions) as { contributions: { id: string; properties: { name: string } }[] };
    const endpoint = manifest.contributions.find((c) => c.id === 'harbor-service-endpoint');
    expect(endpoint?.properties.name).toBe(HARBOR_ENDPOINT_TYPE);
    expect(HARBOR_ENDPOINT_TYPE).not.toBe('harbor');
    for (const { definition: def } of capabilities) {
      expect(def.taskName).toMatch(/^Harbor[A-Z][A-Za-z]+$/);
      const task = taskJson(def) as { inputs: { name: string; type: string }[] };
      for (const conn of def.connections ?? []) {
        if (conn.kind === 'harbor')
          expect(task.inputs.find((i) => i.name === conn.input)?.type).toBe(`connectedService:${HARBOR_ENDPOINT_TYPE}`);
      }
    }
  });

  it('gives dev builds stable ids distinct from release', () => {
    const id = devTaskId(echo.taskId);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id).not.toBe(echo.taskId);
    expect(devTaskId(echo.taskId)).toBe(id);
  });
});

describe('one definition drives every manifest', () => {
  it('changing an input definition changes task.json, action.yml and the docs table', () => {
    const changed = {
      ...echo,
      inputs: { ...echo.inputs, message: { ...echo.inputs.message, description: 'Words to say back' } },
    };
    expect(JSON.stringify(taskJson(changed))).toContain('Words to say back');
    expect(actionYml(changed)).toContain('Words to say back');
    expect(docsPage(changed, docsPage(echo, undefined))).toContain('Words to say back');
    expect(JSON.stringify(taskJson(echo))).not.toContain('Words to say back');
  });

  it('keeps prose around the generated table', () => {
    const page =
      docsPage(echo, undefined).replace('## Inputs and outputs', 'Intro prose.\n\n## Inputs and outputs') +
      '\nTrailing notes.\n';
    expect(docsPage(echo, page)).toBe(page);
  });

  it('committed generated files are fresh (run npm run generate when this fails)', () => {
    const stale = [...generatedFiles(capabilities)]
      .filter(([path, content]) => !existsSync(join(ROOT, path)) || readFileSync(join(ROOT, path), 'utf8') !== content)
      .map(([p]) => p);
    expect(stale).toEqual([]);
  });

  it('committed action bundles equal a fresh build (npm test builds first; commit actions/*/dist when this fails)', () => {
    if (!existsSync(join(ROOT, '.git'))) return;
    // Glob magic: a plain 'actions/*/dist' pathspec matches no file below those folders, and the check would pass always.
    const generated = [
      ':(glob)actions/*/dist/**',
      ':(glob)actions/*/action.yml',
      ':(glob)actions/*/index.ts',
      ':(glob)actions/*/main.ts',
      ':(glob)tasks/*/task.json',
      'docs',
    ];
    const changed = execFileSync('git', ['status', '--porcelain', '--', ...generated], { cwd: ROOT, encoding: 'utf8' });
    expect(changed).toBe('');
  });
});
