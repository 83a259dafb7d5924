/**
 * The documented GitHub pipelines must be copyable: they validate against the workflow schema and GitHub's own parser,
 * and every step of ours names an existing action with inputs it really has (and the ones it requires). The Azure
 * DevOps pipelines are validated against Azure Pipelines' own schema in ado-pipelines-schema.test.ts.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/bundles';
import { schemaErrors } from '../support/schemas';
import { githubWorkflowErrors } from '../support/github-workflow-parser';

const githubDir = join(ROOT, 'examples', 'github');
const githubExamples = readdirSync(githubDir).filter((f) => f.endsWith('.yml'));

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
    const ours = Object.values(workflow.jobs)
      .flatMap((j) => j.steps)
      .filter((s) => s.uses?.startsWith('./actions/'));
    expect(ours.length).toBeGreaterThan(0);
    for (const step of ours) {
      const actionFile = join(ROOT, step.uses!.slice(2), 'action.yml');
      expect(existsSync(actionFile)).toBe(true);
      const action = parse(readFileSync(actionFile, 'utf8')) as { inputs: Record<string, { required?: boolean }> };
      const given = Object.keys(step.with ?? {});
      expect({ uses: step.uses, unknown: given.filter((k) => !(k in action.inputs)) }).toEqual({
        uses: step.uses,
        unknown: [],
      });
      const missing = Object.entries(action.inputs)
        .filter(([k, v]) => v.required && !given.includes(k))
        .map(([k]) => k);
      expect({ uses: step.uses, missing }).toEqual({ uses: step.uses, missing: [] });
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

describe('under act (README: what act cannot do)', () => {
  const files = [
    ...githubExamples.map((f) => join(githubDir, f)),
    join(ROOT, 'test/fixtures/act/push-gate-replicate.yml'),
  ];
  /** Steps that talk to GitHub's API, which act does not provide: code scanning, github-script, the gh CLI. */
  const needsGitHubApi = (s: { uses?: string; run?: string }) =>
    /^(github\/codeql-action\/|actions\/github-script@)/.test(s.uses ?? '') || /(^|\s)gh\s/.test(s.run ?? '');

  it('every step that needs GitHub’s API is skipped when act sets ACT=true', () => {
    const found: string[] = [];
    for (const file of files) {
      const workflow = parse(readFileSync(file, 'utf8')) as {
        jobs: Record<string, { steps: { name?: string; uses?: string; run?: string; if?: string }[] }>;
      };
      for (const step of Object.values(workflow.jobs)
        .flatMap((j) => j.steps)
        .filter(needsGitHubApi)) {
        found.push(step.name ?? step.uses ?? '');
        expect({ step: step.name, if: step.if }).toEqual({ step: step.name, if: expect.stringContaining('!env.ACT') });
      }
    }
    // Not vacuous: the code-scanning upload of ci-gitops.yml and the commit comment of the act fixture are there.
    expect(found).toEqual(expect.arrayContaining(['Upload findings to code scanning', 'Comment on the commit']));
  });
});
