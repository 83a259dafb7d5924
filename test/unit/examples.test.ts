/**
 * The documented pipelines must be copyable: GitHub workflows validate against the workflow schema, and every step of
 * ours names an existing action or task with inputs it really has (and the ones it requires).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/bundles';
import { schemaErrors } from '../support/schemas';
import { githubWorkflowErrors } from '../support/github-workflow-parser';
import { adoSteps } from '../support/workflow-runner';

const githubDir = join(ROOT, 'examples', 'github');
const adoDir = join(ROOT, 'examples', 'azure-devops');
const githubExamples = readdirSync(githubDir).filter((f) => f.endsWith('.yml'));
const adoExamples = readdirSync(adoDir).filter((f) => f.endsWith('.yml'));

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

describe.each(githubExamples)('examples/github/%s', (file) => {
  const workflow = parse(readFileSync(join(githubDir, file), 'utf8')) as { jobs: Record<string, { steps: Step[] }> };

  it('validates against the GitHub workflow schema', () => {
    expect(schemaErrors('github/workflow.schema.json', workflow)).toEqual([]);
  });

  it("passes GitHub's own workflow parser (expressions, contexts, step keys)", () => {
    expect(githubWorkflowErrors(join(githubDir, file))).toEqual([]);
  });

  it('uses our actions with inputs that exist in their action.yml, and gives every required one', () => {
    const ours = Object.values(workflow.jobs).flatMap((j) => j.steps).filter((s) => s.uses?.startsWith('./actions/'));
    expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) {
      const actionFile = join(ROOT, step.uses!.slice(2), 'action.yml');
      expect(existsSync(actionFile)).toBe(true);
      const action = parse(readFileSync(actionFile, 'utf8')) as { inputs: Record<string, { required?: boolean }> };
      const given = Object.keys(step.with ?? {});
      expect({ uses: step.uses, unknown: given.filter((k) => !(k in action.inputs)) }).toEqual({ uses: step.uses, unknown: [] });
      const missing = Object.entries(action.inputs).filter(([k, v]) => v.required && !given.includes(k)).map(([k]) => k);
      expect({ uses: step.uses, missing }).toEqual({ uses: step.uses, missing: [] });
    }
  });
});

describe.each(adoExamples)('examples/azure-devops/%s', (file) => {
  const doc = parse(readFileSync(join(adoDir, file), 'utf8')) as unknown;

  it('uses our tasks with inputs that exist in their generated task.json, and gives every required one', () => {
    const ours = adoSteps(doc).filter((s) => s.task && /^Harbor[A-Za-z]+@\d+$/.test(s.task));
    expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) {
      const [name, major] = step.task!.split('@');
      const taskFile = join(ROOT, 'tasks', name, 'task.json');
      expect({ task: step.task, exists: existsSync(taskFile) }).toEqual({ task: step.task, exists: true });
      const task = JSON.parse(readFileSync(taskFile, 'utf8')) as { version: { Major: number }; inputs: { name: string; required?: boolean }[] };
      expect(task.version.Major).toBe(Number(major));
      const given = Object.keys(step.inputs ?? {});
      const known = new Set(task.inputs.map((i) => i.name));
      expect({ task: step.task, unknown: given.filter((k) => !known.has(k)) }).toEqual({ task: step.task, unknown: [] });
      const missing = task.inputs.filter((i) => i.required && !given.includes(i.name)).map((i) => i.name);
      expect({ task: step.task, missing }).toEqual({ task: step.task, missing: [] });
    }
  });

  it('has a step list every task of which is well-formed', () => {
    for (const step of adoSteps(doc)) {
      const kinds = ['task', 'script', 'bash', 'pwsh', 'powershell', 'checkout', 'download', 'publish', 'template'].filter((k) => k in step);
      expect(kinds).toHaveLength(1);
    }
  });
});

describe('the workflow parser check', () => {
  it('reports what the schema cannot see', () => {
    const bad = join(tmpdir(), `bad-workflow-${process.pid}.yml`);
    writeFileSync(bad, 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ nosuch.a }}\n');
    expect(githubWorkflowErrors(bad)).toEqual([expect.stringContaining("Unrecognized named-value: 'nosuch'")]);
  });
});
