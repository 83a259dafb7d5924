/**
 * The task adapter reads plain inputs and reports an input error without azure-pipelines-task-lib
 * (tasks/adapter/agent-environment.ts). task-lib itself is the oracle here: a child process imports the real task-lib
 * with the same environment and answers the same questions (getInput, getVariable, filePathSupplied, the lines
 * setResult writes), and every answer must be the same, byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { EOL, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InputSpec } from '../../shared/inputs/definition';
import type { StepResult } from '../../shared/platform';
import {
  AgentEnvironment,
  needsTaskLib,
  NEEDS_TASK_LIB,
  readBeforeTaskLib,
  resultCommands,
} from '../../tasks/adapter/agent-environment';

interface Questions {
  inputs: string[];
  variables: string[];
  paths: string[];
  results: [StepResult, string][];
}

interface Answers {
  inputs: Record<string, string | null>;
  variables: Record<string, { value: string | null; secret: boolean }>;
  paths: Record<string, boolean>;
  results: string[];
}

// The oracle: task-lib's own answers. Its result lines are caught through its setStdStream; its debug lines (which
// the early path leaves out, see agent-environment.ts) are dropped.
const ORACLE = `
const tl = require(process.argv[2]);
const im = require(process.argv[3]);
const questions = JSON.parse(process.argv[4]);
const out = { inputs: {}, variables: {}, paths: {}, results: [] };
for (const name of questions.inputs) out.inputs[name] = tl.getInput(name) ?? null;
for (const name of questions.variables) {
  const info = im._knownVariableMap[im._getVariableKey(name)];
  out.variables[name] = { value: tl.getVariable(name) ?? null, secret: !!(info && info.secret) };
}
for (const name of questions.paths) out.paths[name] = tl.filePathSupplied(name);
const map = { succeeded: tl.TaskResult.Succeeded, 'succeeded-with-issues': tl.TaskResult.SucceededWithIssues, failed: tl.TaskResult.Failed };
for (const [result, message] of questions.results) {
  let written = '';
  tl.setStdStream({ write: (text) => (written += text) });
  tl.setResult(map[result], message);
  out.results.push(written.split(/(?<=\\n)/).filter((line) => !line.startsWith('##vso[task.debug]')).join(''));
}
require('fs').writeFileSync(process.argv[5], JSON.stringify(out));
`;

const work = mkdtempSync(join(tmpdir(), 'agent-environment-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const oracleFile = join(work, 'oracle.js');
writeFileSync(oracleFile, ORACLE);

function askTaskLib(env: Record<string, string>, questions: Questions): Answers {
  const answers = join(work, 'answers.json');
  rmSync(answers, { force: true });
  const run = spawnSync(
    process.execPath,
    [
      oracleFile,
      require.resolve('azure-pipelines-task-lib/task'),
      require.resolve('azure-pipelines-task-lib/internal'),
      JSON.stringify(questions),
      answers,
    ],
    // task-lib writes its vault key into Agent.TempDirectory (else the working directory).
    { env: { PATH: process.env.PATH, AGENT_TEMPDIRECTORY: work, ...env }, cwd: work, encoding: 'utf8' },
  );
  if (run.status !== 0 || run.stderr !== '') throw new Error(`the task-lib oracle failed: ${run.stderr}`);
  return JSON.parse(readFileSync(answers, 'utf8')) as Answers;
}

const MESSAGES = [
  'Input required and not supplied: harborConnection',
  "Input 'flag' must be true or false (got 'y;e]s')",
  'semi;colon; close]bracket] open[ percent% %25 %AZP25 %0A %3B %5D',
  'carriage\rreturn, line\nfeed, both\r\n, trailing\n',
  '##vso[task.complete result=Succeeded;]forged',
  'unicode ✓ ünïcödé 日本 \u2028 tab\there',
  '',
];
const RESULTS: [StepResult, string][] = (['failed', 'succeeded-with-issues', 'succeeded'] as const).flatMap((r) =>
  MESSAGES.map((m) => [r, m] as [StepResult, string]),
);

const SCENARIOS: [string, Record<string, string>][] = [
  ['an empty agent environment', {}],
  [
    'an agent environment with a correlation id, secret variables and inputs spelled in several ways',
    {
      COMMAND_CORRELATION_ID: 'corr;id]with%AZP25%0A\r\n and more',
      INPUT_MESSAGE: 'hello',
      INPUT_message: '',
      INPUT_Mode: 'first',
      INPUT_MODE: 'second, the later one',
      INPUT_WAITTIME: '  padded with spaces \n',
      INPUT_WITH_DOT: 'dotted',
      INPUT_SERVERURL: 'https://harbor.example.com/',
      INPUT_CAFILE: '/agent/_work/1/s',
      INPUT_SBOM: 'out/sbom.json',
      INPUT_VALUESFILES: 'a.yaml\nb.yaml',
      INPUT_EMPTY: '',
      BUILD_SOURCESDIRECTORY: '/agent/_work/1/s',
      SYSTEM_DEFAULTWORKINGDIRECTORY: '/agent/_work/1/s',
      SYSTEM_DEBUG: 'false',
      SECRET_SYSTEM_ACCESSTOKEN: 'not-for-us',
      SECRET_EMPTY_ONE: '',
      VSTS_SECRET_VARIABLES: '["Some.Secret","system.accessToken"]',
      VSTS_PUBLIC_VARIABLES: '["System.Debug","build.sourcesDirectory"]',
      SOME_SECRET: 'an environment variable of the same key as a secret variable',
    },
  ],
  [
    'no sources directory: path inputs are told apart by the default working directory',
    {
      COMMAND_CORRELATION_ID: 'plain-id',
      SYSTEM_DEFAULTWORKINGDIRECTORY: '/work/dir',
      INPUT_CAFILE: '/work/dir/',
      INPUT_SBOM: '/work/dir/sbom.json',
      INPUT_TOOLDIR: 'relative',
    },
  ],
  ['neither directory: a path input is compared with the working directory', { INPUT_CAFILE: '.', INPUT_SBOM: 'x' }],
  [
    'secret variables under the names the early path reads',
    {
      SECRET_BUILD_SOURCESDIRECTORY: '/secret/s',
      SECRET_System_Debug: 'true',
      VSTS_SECRET_VARIABLES: '["system.defaultWorkingDirectory"]',
      SYSTEM_DEFAULTWORKINGDIRECTORY: '/public/value',
      INPUT_CAFILE: '/secret/s',
    },
  ],
];

const QUESTIONS: Questions = {
  inputs: [
    'message',
    'Message',
    'mode',
    'waitTime',
    'with.dot',
    'with dot',
    'serverUrl',
    'caFile',
    'sbom',
    'valuesFiles',
    'empty',
    'absent',
    'harborConnection',
  ],
  variables: [
    'System.Debug',
    'build.sourcesDirectory',
    'system.defaultWorkingDirectory',
    'Some.Secret',
    'System.AccessToken',
    'empty.one',
    'absent.variable',
  ],
  paths: ['caFile', 'sbom', 'toolDir', 'absent'],
  results: RESULTS,
};

describe.each(SCENARIOS)('with %s, the early path answers as task-lib does', (_, variables) => {
  const env = new AgentEnvironment(variables);
  let answers: Answers;
  beforeAll(() => {
    answers = askTaskLib(variables, QUESTIONS);
  });

  it('reads every input as getInput does (case, empty values, no trimming, the later spelling wins)', () => {
    for (const name of QUESTIONS.inputs) expect([name, env.input(name) ?? null]).toEqual([name, answers.inputs[name]]);
  });

  it('knows every variable task-lib keeps secret, and reads the others as getVariable does', () => {
    for (const name of QUESTIONS.variables) {
      const secret = env.secret(name);
      if (answers.variables[name].secret) expect([name, secret]).toEqual([name, true]);
      if (!secret) expect([name, env.variable(name) ?? null]).toEqual([name, answers.variables[name].value]);
    }
  });

  it('tells a given path from the agent default as filePathSupplied does, whenever its variables are public', () => {
    const readable = !env.secret('build.sourcesDirectory') && !env.secret('system.defaultWorkingDirectory');
    for (const name of QUESTIONS.paths)
      if (readable) expect([name, env.pathSupplied(name)]).toEqual([name, answers.paths[name]]);
  });

  it('writes the same task.issue and task.complete bytes as setResult, correlation id and escaping included', () => {
    expect(RESULTS.map(([result, message]) => resultCommands(result, message, env))).toEqual(answers.results);
  });
});

describe('which inputs load task-lib before they are read', () => {
  const spec = (type: 'string' | 'secret' | 'url' | 'path' | 'multiline', name: string) => ({
    name,
    type,
    description: '',
  });
  const connection = {
    name: 'harbor-url',
    type: 'url' as const,
    description: '',
    connection: { kind: 'harbor' as const, input: 'harborConnection', field: 'url' as const },
  };

  it.each([
    ['nothing set', {}, false],
    ['a plain input', { INPUT_VALUE: 'x' }, false],
    ['a multi-line input', { INPUT_NOTES: '-----BEGIN-----\nabc\n-----END-----' }, false],
    ['a URL without credentials', { INPUT_SERVERURL: 'https://h.example' }, false],
    ['a set service connection', { INPUT_HARBORCONNECTION: 'c1' }, true],
    ['a set secret input', { INPUT_TOKEN: 's3cret' }, true],
    ['a URL with credentials to mask', { INPUT_SERVERURL: 'https://u:p@h.example' }, true],
    [
      'a path input whose default is told apart by a secret variable',
      { INPUT_CAFILE: 'x', SECRET_BUILD_SOURCESDIRECTORY: 's' },
      true,
    ],
    ['a path input with public variables', { INPUT_CAFILE: 'x', BUILD_SOURCESDIRECTORY: '/s' }, false],
    ['debug logging', { SYSTEM_DEBUG: 'True' }, true],
    ['debug logging spelled with spaces', { SYSTEM_DEBUG: ' true ' }, true],
    ['debug logging off', { SYSTEM_DEBUG: 'false' }, false],
    ['System.Debug as a secret variable', { SECRET_SYSTEM_DEBUG: 'false' }, true],
    ['an unreadable variable list (task-lib fails on it)', { VSTS_PUBLIC_VARIABLES: '{not json' }, true],
    ['a variable list that is not an array', { VSTS_SECRET_VARIABLES: '{}' }, true],
  ])('%s → %s', (_, env, expected) => {
    const inputs = [
      spec('string', 'value'),
      spec('secret', 'token'),
      spec('multiline', 'notes'),
      spec('url', 'server-url'),
      spec('path', 'ca-file'),
      connection,
    ];
    expect(needsTaskLib(inputs, new AgentEnvironment(env))).toBe(expected);
  });

  it('an unset connection reads as unset; a path given as the agent default reads as unset', () => {
    const env = { INPUT_CAFILE: '/s', BUILD_SOURCESDIRECTORY: '/s' };
    const read = (s: InputSpec, variables: Record<string, string>) =>
      readBeforeTaskLib(s, new AgentEnvironment(variables));
    expect(read(connection, env)).toBeUndefined();
    expect(read(spec('path', 'ca-file'), env)).toBeUndefined();
    expect(read(spec('path', 'ca-file'), { ...env, INPUT_CAFILE: 'ca.pem' })).toBe('ca.pem');
    expect(read(spec('secret', 'token'), { INPUT_TOKEN: 'x' })).toBe(NEEDS_TASK_LIB);
  });
});

test('results end with the line break task-lib writes', () => {
  expect(resultCommands('failed', 'm', new AgentEnvironment({}))).toBe(
    `##vso[task.issue type=error;source=TaskInternal;]m${EOL}##vso[task.complete result=Failed;]m${EOL}`,
  );
});
