/**
 * Runs the Harbor steps of a documented pipeline in order with the real bundles, passing outputs from step to step
 * the way each runner does: GitHub `${{ steps.<id>.outputs.<name> }}` / `${{ needs.<job>.outputs.<name> }}`, Azure
 * DevOps `$(<step name>.<output variable>)`. Steps that are not ours (checkout, docker, upload-sarif, scripts) are
 * skipped: the caller prepares what they would have produced. Expressions beyond plain context lookups are refused,
 * which keeps the examples simple enough to copy.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { runActionBundle, runTaskBundle, type BundleRun, type Endpoint } from './bundles';

export interface StepRun {
  id: string;
  name: string;
  inputs: Record<string, string>;
  run: BundleRun;
}

interface GitHubStep {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  if?: string;
}

interface GitHubJob {
  needs?: string | string[];
  steps: GitHubStep[];
  outputs?: Record<string, string>;
}

export interface GitHubContext {
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  env?: Record<string, string>;
  github?: Record<string, string>;
  /** Workspace the steps run in (relative paths in inputs resolve against it). */
  workspace: string;
}

/** Runs every job of a workflow that uses `./actions/<id>`, in file order; stops at the first failed step. */
export async function runGitHubWorkflow(
  file: string,
  context: GitHubContext,
  options: { jobs?: string[]; stepIds?: string[] } = {},
): Promise<{ steps: StepRun[]; jobOutputs: Record<string, Record<string, string>> }> {
  const workflow = parse(readFileSync(file, 'utf8')) as {
    env?: Record<string, string>;
    jobs: Record<string, GitHubJob>;
  };
  const steps: StepRun[] = [];
  const jobOutputs: Record<string, Record<string, string>> = {};
  // Workflow-level env may use the github, vars and secrets contexts (e.g. a version built from github.run_number).
  const workflowEnv = Object.fromEntries(
    Object.entries(workflow.env ?? {}).map(([k, v]) => [
      k,
      substitute(String(v), /\$\{\{\s*([^}]+?)\s*\}\}/g, (expr) =>
        evaluateGitHub(expr, { ...context, env: {} }, {}, {}),
      ),
    ]),
  );
  for (const [jobId, job] of Object.entries(workflow.jobs)) {
    if (options.jobs && !options.jobs.includes(jobId)) continue;
    const stepOutputs: Record<string, Record<string, string>> = {};
    const env = { ...workflowEnv, ...context.env };
    const lookup = (expr: string): string => evaluateGitHub(expr, { ...context, env }, stepOutputs, jobOutputs);
    for (const step of job.steps) {
      const local = /^\.\/actions\/([a-z-]+)$/.exec(step.uses ?? '');
      if (!local || (options.stepIds && !options.stepIds.includes(step.id ?? ''))) continue;
      if (step.if && step.if.trim() !== 'always()' && !/success\(\)/.test(step.if)) continue;
      const inputs: Record<string, string> = {};
      for (const [name, value] of Object.entries(step.with ?? {}))
        inputs[name] = substitute(String(value), /\$\{\{\s*([^}]+?)\s*\}\}/g, lookup);
      const run = await runActionBundle(local[1], inputs, { cwd: context.workspace, env: { ...env } });
      steps.push({ id: step.id ?? local[1], name: step.name ?? step.uses!, inputs, run });
      if (step.id) stepOutputs[step.id] = run.outputs;
      if (run.code !== 0) return { steps, jobOutputs };
    }
    jobOutputs[jobId] = Object.fromEntries(
      Object.entries(job.outputs ?? {}).map(([k, v]) => [k, substitute(v, /\$\{\{\s*([^}]+?)\s*\}\}/g, lookup)]),
    );
  }
  return { steps, jobOutputs };
}

function evaluateGitHub(
  expr: string,
  context: GitHubContext & { env: Record<string, string> },
  steps: Record<string, Record<string, string>>,
  needs: Record<string, Record<string, string>>,
): string {
  const parts = expr.split('.');
  switch (parts[0]) {
    case 'steps':
      if (parts[2] === 'outputs') return steps[parts[1]]?.[parts[3]] ?? '';
      break;
    case 'needs':
      if (parts[2] === 'outputs') return needs[parts[1]]?.[parts[3]] ?? '';
      break;
    case 'secrets':
      return context.secrets?.[parts[1]] ?? '';
    case 'vars':
      return context.vars?.[parts[1]] ?? '';
    case 'env':
      return context.env[parts[1]] ?? '';
    case 'github':
      return context.github?.[parts[1]] ?? '';
    case 'runner':
      if (parts[1] === 'temp') return context.workspace;
      break;
  }
  throw new Error(`unsupported expression in example: \${{ ${expr} }}`);
}

interface AdoStep {
  task?: string;
  name?: string;
  inputs?: Record<string, unknown>;
  condition?: string;
}

export interface AdoContext {
  variables?: Record<string, string>;
  endpoints: Record<string, Endpoint>;
  workspace: string;
}

/** Every `steps:` list in an Azure Pipelines file, through stages → jobs → steps (deployment strategies included). */
export function adoSteps(doc: unknown): AdoStep[] {
  const found: AdoStep[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'steps' && Array.isArray(value)) found.push(...(value as AdoStep[]));
        else visit(value);
      }
    }
  };
  visit(doc);
  return found;
}

/** Runs the steps of ours (`HarborXxx@N`) in file order with the bundled tasks. */
export async function runAdoPipeline(
  file: string,
  context: AdoContext,
  ours: (task: string) => boolean,
): Promise<{ steps: StepRun[] }> {
  const doc = parse(readFileSync(file, 'utf8')) as { variables?: unknown };
  const variables: Record<string, string> = { ...pipelineVariables(doc.variables), ...context.variables };
  const steps: StepRun[] = [];
  for (const step of adoSteps(doc)) {
    const name = step.task?.split('@')[0];
    if (!name || !ours(name)) continue;
    const inputs: Record<string, string> = {};
    for (const [key, value] of Object.entries(step.inputs ?? {})) {
      inputs[key] = substitute(String(value), /\$\(([^)]+)\)/g, (ref) => {
        if (ref in variables) return variables[ref];
        throw new Error(`unresolved macro in example: $(${ref})`);
      });
    }
    const run = await runTaskBundle(name, inputs, { cwd: context.workspace, endpoints: context.endpoints });
    steps.push({ id: step.name ?? name, name: step.task!, inputs, run });
    // Later steps in the job read output variables as $(<step name>.<variable>).
    if (step.name) for (const [k, v] of Object.entries(run.outputs)) variables[`${step.name}.${k}`] = v;
    if (run.code !== 0) break;
  }
  return { steps };
}

function pipelineVariables(variables: unknown): Record<string, string> {
  if (!variables) return {};
  if (Array.isArray(variables)) {
    return Object.fromEntries(
      (variables as { name?: string; value?: unknown }[])
        .filter((v) => v.name !== undefined)
        .map((v) => [v.name!, String(v.value ?? '')]),
    );
  }
  return Object.fromEntries(Object.entries(variables as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

function substitute(text: string, pattern: RegExp, resolve: (ref: string) => string): string {
  return text.replace(pattern, (_, ref: string) => resolve(ref.trim()));
}
