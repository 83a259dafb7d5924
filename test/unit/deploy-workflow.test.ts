import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { schemaErrors } from '../support/schemas';

const ROOT = join(__dirname, '../..');
const WORKFLOW = join(ROOT, '.github/workflows/e2e-kind.yml');

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface ActionYml {
  inputs: Record<string, { required?: boolean }>;
  outputs: Record<string, unknown>;
}

const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
const local = steps.filter((s) => s.uses?.startsWith('./actions/'));
const action = (uses: string) => parse(readFileSync(join(ROOT, uses, 'action.yml'), 'utf8')) as ActionYml;

describe('.github/workflows/e2e-kind.yml (runs only on GitHub-hosted runners)', () => {
  it('is a valid GitHub workflow', () => {
    expect(schemaErrors('github/workflow.schema.json', workflow)).toEqual([]);
  });

  it('the schema check is not vacuous', () => {
    const broken = { ...workflow, jobs: { x: { steps: [{ uses: 'a@v1' }] } } };
    expect(schemaErrors('github/workflow.schema.json', broken).length).toBeGreaterThan(0);
  });

  it('creates a kind cluster, deploys the managed-disks profile, then pushes and gates against that Harbor', () => {
    expect(steps.some((s) => s.uses?.startsWith('helm/kind-action@'))).toBe(true);
    expect(local.map((s) => s.uses)).toEqual([
      './actions/deploy',
      './actions/deploy',
      './actions/push',
      './actions/trivy-gate',
    ]);
    expect(local[0].with?.profile).toBe('managed-disks');
    for (const later of local.slice(2))
      expect(later.with?.['harbor-url']).toBe('${{ steps.deploy.outputs.harbor-url }}');
  });

  it('gives every local action only inputs it has, and every required one', () => {
    for (const step of local) {
      expect(existsSync(join(ROOT, step.uses!, 'action.yml'))).toBe(true);
      const { inputs } = action(step.uses!);
      expect(Object.keys(step.with ?? {}).filter((k) => !(k in inputs))).toEqual([]);
      const required = Object.entries(inputs)
        .filter(([, v]) => v.required)
        .map(([k]) => k);
      expect(required.filter((k) => !(k in (step.with ?? {})))).toEqual([]);
    }
  });

  it('reads only outputs the steps really have', () => {
    const text = readFileSync(WORKFLOW, 'utf8');
    for (const [, id, name] of text.matchAll(/steps\.([a-z-]+)\.outputs\.([a-z-]+)/g)) {
      const step = steps.find((s) => s.id === id);
      expect(step).toBeDefined();
      if (step!.uses?.startsWith('./actions/')) expect(Object.keys(action(step!.uses).outputs)).toContain(name);
      else expect(step!.run).toContain(`${name}=`);
    }
  });

  it('never puts the admin password on a command line', () => {
    for (const step of steps.filter((s) => s.run)) expect(step.run).not.toContain('steps.secret.outputs.password');
  });
});
