import { EOL } from 'node:os';
import { resolve } from 'node:path';
import { TaskCommand } from 'azure-pipelines-task-lib/taskcommand';
import { camelCase, type InputSpec } from '../../shared/inputs/definition';
import type { StepResult } from '../../shared/platform';
import { urlCredentials } from '../../shared/redact';

/**
 * What azure-pipelines-task-lib would read and write, before it is loaded (azure-pipelines-task-lib 5.x: task.js,
 * internal.js, vault.js). Importing task-lib costs ~30 ms of CPU (task.js requires its tool runner, minimatch, semver,
 * q and child_process, and its import writes the vault key): most of a task's start when it stops at an input error
 * (bench/startup). Plain inputs are read here exactly as task-lib reads them, and a result is written with task-lib's
 * own command formatter; anything else — a set service connection or secret input, a secret variable, debug logging —
 * loads task-lib first (AzureDevOpsPlatform.prepare). test/adapter/agent-environment.test.ts holds these functions
 * to task-lib itself.
 */

type Env = NodeJS.ProcessEnv;

/** task-lib's `_getVariableKey` (internal.js): `Build.SourcesDirectory` → `BUILD_SOURCESDIRECTORY`. */
export function variableKey(name: string): string {
  return name.replace(/\./g, '_').replace(/ /g, '_').toUpperCase();
}

/**
 * task-lib's `getInput(name)`. Its import moves each non-empty `INPUT_*` variable into the vault under the lower-cased
 * variable name and getInput looks up `INPUT_<key>` lower-cased (internal.js `_loadData`, vault.js): the name matches
 * in any case, an empty value is unset, of two spellings the later one in the environment wins; nothing is trimmed.
 */
export function agentInput(name: string, env: Env = process.env): string | undefined {
  const wanted = `INPUT_${variableKey(name)}`.toLowerCase();
  let value: string | undefined;
  for (const key in env) if (key.startsWith('INPUT_') && key.toLowerCase() === wanted && env[key]) value = env[key];
  return value;
}

/**
 * Whether task-lib may read this variable from its vault rather than the environment: a `SECRET_<key>` variable is
 * set, or VSTS_SECRET_VARIABLES names it (internal.js `_loadData`). VSTS_PUBLIC_VARIABLES may declare a SECRET_ one
 * public again; that is not looked at, so the answer errs towards loading task-lib.
 */
export function secretVariable(name: string, env: Env = process.env): boolean {
  const key = variableKey(name);
  for (const variable in env)
    if (variable.startsWith('SECRET_') && variable.length > 7 && variableKey(variable.slice(7)) === key) return true;
  const listed = agentList(env.VSTS_SECRET_VARIABLES);
  return listed === undefined || listed.some((n) => typeof n === 'string' && n !== '' && variableKey(n) === key);
}

/** task-lib's `getVariable(name)` for a variable that is not secret: the environment variable `<key>`. */
export function publicVariable(name: string, env: Env = process.env): string | undefined {
  return env[variableKey(name)];
}

/**
 * task-lib's `filePathSupplied(name)` (task.js): the agent roots every filePath input at the sources directory, so a
 * path input that resolves to that directory was not given by the user. Reads two variables: only valid when neither
 * is secret (see readBeforeTaskLib).
 */
export function pathSupplied(name: string, env: Env = process.env): boolean {
  const root = publicVariable('build.sourcesDirectory', env) || publicVariable('system.defaultWorkingDirectory', env);
  return resolve(agentInput(name, env) || '') !== resolve(root || '');
}

/** The agent's lists of variable names; undefined when one is not a JSON array (task-lib's import throws on it). */
function agentList(text: string | undefined): unknown[] | undefined {
  if (!text) return [];
  try {
    const names: unknown = JSON.parse(text);
    return Array.isArray(names) ? names : undefined;
  } catch {
    return undefined;
  }
}

/** An input whose reading needs task-lib: see readBeforeTaskLib. */
export const NEEDS_TASK_LIB = Symbol('needs task-lib');

/**
 * An input's raw value as the task-lib adapter reads it (AzureDevOpsPlatform.getInput), or NEEDS_TASK_LIB when that
 * takes task-lib: a set service connection (endpoints), a set secret (vault, masking), a URL with credentials inside
 * (masked through task-lib before the refusal), a path whose default is told apart through a secret variable.
 */
export function readBeforeTaskLib(spec: InputSpec, env: Env = process.env): string | undefined | typeof NEEDS_TASK_LIB {
  if (spec.connection) return agentInput(spec.connection.input, env) ? NEEDS_TASK_LIB : undefined;
  const name = camelCase(spec.name);
  const value = agentInput(name, env);
  if (value === undefined) return undefined;
  switch (spec.type) {
    case 'secret':
      return NEEDS_TASK_LIB;
    case 'url':
      return urlCredentials(value).length > 0 ? NEEDS_TASK_LIB : value;
    case 'path':
      if (secretVariable('build.sourcesDirectory', env) || secretVariable('system.defaultWorkingDirectory', env))
        return NEEDS_TASK_LIB;
      return pathSupplied(name, env) ? value : undefined;
    default:
      return value;
  }
}

/**
 * Whether reading these inputs needs task-lib loaded first. Also when debug logging may be on: the agent shows
 * task-lib's `##vso[task.debug]` lines only then (microsoft/azure-pipelines-agent src/Agent.Worker/ExecutionContext.cs:
 * `WriteDebug = Variables.System_Debug`), so a debug run gets task-lib's own echo of every input from the start; and
 * when the agent's variable lists are unreadable, so task-lib's import fails on them as it always did.
 */
export function needsTaskLib(inputs: readonly InputSpec[], env: Env = process.env): boolean {
  const debug = (publicVariable('System.Debug', env) ?? '').trim().toLowerCase();
  if (secretVariable('System.Debug', env) || (debug !== '' && debug !== 'false')) return true;
  if (agentList(env.VSTS_PUBLIC_VARIABLES) === undefined || agentList(env.VSTS_SECRET_VARIABLES) === undefined)
    return true;
  return inputs.some((spec) => readBeforeTaskLib(spec, env) === NEEDS_TASK_LIB);
}

const RESULT_NAMES = { succeeded: 'Succeeded', 'succeeded-with-issues': 'SucceededWithIssues', failed: 'Failed' };

/**
 * The lines task-lib's `setResult(result, message)` writes (task.js `setResult`, internal.js `_error`/`_warning`),
 * formatted by task-lib's own taskcommand module: for a failure with a message an error issue (a warning for
 * succeeded-with-issues) carrying the agent's COMMAND_CORRELATION_ID, then task.complete. task-lib's debug line
 * "task result: …" is not written; the agent would not show it (see needsTaskLib).
 */
export function resultCommands(result: StepResult, message: string, env: Env = process.env): string {
  const lines: string[] = [];
  const type = result === 'failed' ? 'error' : result === 'succeeded-with-issues' ? 'warning' : undefined;
  if (type && message) {
    const correlationId = env.COMMAND_CORRELATION_ID ? String(env.COMMAND_CORRELATION_ID) : '';
    lines.push(new TaskCommand('task.issue', { type, source: 'TaskInternal', correlationId }, message).toString());
  }
  lines.push(new TaskCommand('task.complete', { result: RESULT_NAMES[result] }, message).toString());
  return lines.map((line) => line + EOL).join('');
}
