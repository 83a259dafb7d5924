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

type Env = Record<string, string | undefined>;

/** task-lib's `_getVariableKey` (internal.js): `Build.SourcesDirectory` → `BUILD_SOURCESDIRECTORY`. */
export function variableKey(name: string): string {
  return name.replace(/\./g, '_').replace(/ /g, '_').toUpperCase();
}

/**
 * The agent's environment as task-lib finds it on import. Its INPUT_* and SECRET_* variables are indexed in one walk:
 * every read of `process.env` goes through Node's environment accessors, and walking an agent's ~300 variables once
 * per input would cost as much as task-lib's import. Single variables are read from `process.env` itself, as task-lib
 * reads them (case-insensitive on Windows).
 */
export class AgentEnvironment {
  private readonly env: Env;
  private readonly inputs = new Map<string, string>();
  private readonly secretKeys = new Set<string>();
  private readonly secretList: unknown[] | undefined;
  /** Whether VSTS_PUBLIC_VARIABLES and VSTS_SECRET_VARIABLES are JSON arrays (task-lib's import throws otherwise). */
  readonly listsReadable: boolean;

  constructor(env: Env = process.env) {
    this.env = env;
    for (const key in env) {
      // task-lib's import moves each non-empty INPUT_* variable into its vault under the lower-cased variable name
      // (internal.js `_loadData`, vault.js), in environment order: of two spellings the later one wins.
      const value = env[key];
      if (key.startsWith('INPUT_') && value) this.inputs.set(key.toLowerCase(), value);
      // …and records SECRET_<name> as a secret variable, set or empty.
      if (key.startsWith('SECRET_') && key.length > 7) this.secretKeys.add(variableKey(key.slice(7)));
    }
    this.secretList = agentList(env.VSTS_SECRET_VARIABLES);
    this.listsReadable = this.secretList !== undefined && agentList(env.VSTS_PUBLIC_VARIABLES) !== undefined;
  }

  /**
   * task-lib's `getInput(name)`: `INPUT_<key>` looked up lower-cased in the vault, so the name matches in any case,
   * an empty value is unset, and nothing is trimmed.
   */
  input(name: string): string | undefined {
    return this.inputs.get(`INPUT_${variableKey(name)}`.toLowerCase());
  }

  /**
   * Whether task-lib may read this variable from its vault rather than the environment: a `SECRET_<key>` variable
   * exists, or VSTS_SECRET_VARIABLES names it (or cannot be read). VSTS_PUBLIC_VARIABLES may declare a SECRET_ one
   * public again; that is not looked at, so the answer errs towards loading task-lib.
   */
  secret(name: string): boolean {
    const key = variableKey(name);
    if (this.secretKeys.has(key)) return true;
    return (
      this.secretList === undefined ||
      this.secretList.some((n) => typeof n === 'string' && n !== '' && variableKey(n) === key)
    );
  }

  /** task-lib's `getVariable(name)` for a variable that is not secret: the environment variable `<key>`. */
  variable(name: string): string | undefined {
    return this.env[variableKey(name)];
  }

  /**
   * task-lib's `filePathSupplied(name)` (task.js): the agent roots every filePath input at the sources directory, so
   * a path input that resolves to that directory was not given by the user. Valid only when neither variable is
   * secret (see readBeforeTaskLib).
   */
  pathSupplied(name: string): boolean {
    const root = this.variable('build.sourcesDirectory') || this.variable('system.defaultWorkingDirectory');
    return resolve(this.input(name) || '') !== resolve(root || '');
  }

  /** The agent's id for the task's issues (task-lib reads it on import). */
  correlationId(): string {
    const id = this.env.COMMAND_CORRELATION_ID;
    return id ? String(id) : '';
  }
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
export function readBeforeTaskLib(spec: InputSpec, env: AgentEnvironment): string | undefined | typeof NEEDS_TASK_LIB {
  if (spec.connection) return env.input(spec.connection.input) ? NEEDS_TASK_LIB : undefined;
  const name = camelCase(spec.name);
  const value = env.input(name);
  if (value === undefined) return undefined;
  switch (spec.type) {
    case 'secret':
      return NEEDS_TASK_LIB;
    case 'url':
      return urlCredentials(value).length > 0 ? NEEDS_TASK_LIB : value;
    case 'path':
      if (env.secret('build.sourcesDirectory') || env.secret('system.defaultWorkingDirectory')) return NEEDS_TASK_LIB;
      return env.pathSupplied(name) ? value : undefined;
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
export function needsTaskLib(inputs: readonly InputSpec[], env: AgentEnvironment): boolean {
  const debug = (env.variable('System.Debug') ?? '').trim().toLowerCase();
  if (env.secret('System.Debug') || (debug !== '' && debug !== 'false') || !env.listsReadable) return true;
  return inputs.some((spec) => readBeforeTaskLib(spec, env) === NEEDS_TASK_LIB);
}

const RESULT_NAMES = { succeeded: 'Succeeded', 'succeeded-with-issues': 'SucceededWithIssues', failed: 'Failed' };

/**
 * The lines task-lib's `setResult(result, message)` writes (task.js `setResult`, internal.js `_error`/`_warning`),
 * formatted by task-lib's own taskcommand module: for a failure with a message an error issue (a warning for
 * succeeded-with-issues) carrying the agent's COMMAND_CORRELATION_ID, then task.complete. task-lib's debug line
 * "task result: …" is not written; the agent would not show it (see needsTaskLib).
 */
export function resultCommands(result: StepResult, message: string, env: AgentEnvironment): string {
  const lines: string[] = [];
  const type = result === 'failed' ? 'error' : result === 'succeeded-with-issues' ? 'warning' : undefined;
  if (type && message) {
    const properties = { type, source: 'TaskInternal', correlationId: env.correlationId() };
    lines.push(new TaskCommand('task.issue', properties, message).toString());
  }
  lines.push(new TaskCommand('task.complete', { result: RESULT_NAMES[result] }, message).toString());
  return lines.map((line) => line + EOL).join('');
}

/**
 * The line task-lib's `debug(message)` writes (internal.js `_debug` → `_command('task.debug', null, message)`), for a
 * debug line before task-lib is loaded: only a failure to load it can need one (runCapability's stack trace).
 */
export function debugCommand(message: string): string {
  return new TaskCommand('task.debug', null, message).toString() + EOL;
}
