/**
 * The adapters as the runners see them: the echo fixture capability bundled with ncc exactly like a shipped step,
 * run as a process with node_modules out of reach, asserting the exact lines each platform reads.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundle } from '../../scripts/bundle';
import { taskJson } from '../../scripts/manifests';
import { definition } from '../fixtures/echo/capability';
import { runActionDist, runTaskDist } from '../support/bundles';

const SECRET = 'p@ss;w0rd]$robot%25';
let work: string;
let actionDist: string;
let taskDir: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'echo-bundles-'));
  actionDist = join(work, 'action');
  taskDir = join(work, 'task');
  mkdirSync(taskDir);
  await bundle(join(__dirname, '../fixtures/echo/action.ts'), actionDist, 'github');
  await bundle(join(__dirname, '../fixtures/echo/task.ts'), join(taskDir, 'dist'), 'azure-devops');
  writeFileSync(join(taskDir, 'task.json'), JSON.stringify(taskJson(definition)));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('GitHub action bundle', () => {
  it('writes outputs in the GITHUB_OUTPUT file format, masks the secret before any use, writes the job summary', async () => {
    const run = await runActionDist(actionDist, { message: 'hello', token: SECRET, flag: 'true', 'wait-time': '2m' });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ echoed: 'hello', 'token-out': SECRET });
    expect(run.secretOutputs).toEqual(['token-out']);
    const lines = run.stdout.split('\n');
    const mask = lines.findIndex((l) => l.startsWith('::add-mask::'));
    const firstUse = lines.findIndex((l) => l.includes('token is'));
    expect(mask).toBeGreaterThanOrEqual(0);
    expect(mask).toBeLessThan(firstUse);
    expect(run.displayed).not.toContain(SECRET);
    expect(run.displayed).toContain('token is ***');
    expect(lines).toContain('::group::echo');
    expect(lines).toContain('message: hello mode: plain flag: true wait: 120000');
    expect(run.summary).toContain('### Echo');
  });

  it.each([
    [{ message: 'x', flag: 'yes' }, "::error::Input 'flag' must be true or false (got 'yes')"],
    [{ message: 'x', mode: 'loud' }, "::error::Input 'mode' must be one of plain, fancy (got 'loud')"],
    [{ flag: 'true' }, '::error::Input required and not supplied: message'],
    [
      { message: 'x', 'wait-time': 'soon' },
      "::error::Input 'wait-time' must be a duration like 90s, 5m, 1h30m or 2d (got 'soon')",
    ],
    [
      { message: 'x', 'server-url': 'ftp://h' },
      "::error::Input 'server-url' must use http:// or https:// (got 'ftp://')",
    ],
  ])('bad input %j fails with one line naming the input', async (inputs, line) => {
    const run = await runActionDist(actionDist, inputs);
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([line]);
    expect(run.stderr).toBe('');
  });

  it('a failure message containing the secret is masked, and no stack trace is printed', async () => {
    const run = await runActionDist(actionDist, { message: 'fail', token: SECRET });
    expect(run.code).toBe(1);
    expect(run.displayed).toContain('::error::echo refused the message; token was ***');
    expect(run.displayed).not.toContain(SECRET);
    expect(run.stdout).not.toMatch(/\n\s+at /);
  });

  it('an unexpected error is one line that points to debug logging; the stack only with RUNNER_DEBUG', async () => {
    const quiet = await runActionDist(actionDist, { message: 'crash', token: SECRET });
    expect(quiet.code).toBe(1);
    expect(quiet.displayed).toContain(
      '::error::internal failure with *** (unexpected error; enable debug logging for details)',
    );
    expect(quiet.stdout).not.toMatch(/\n\s+at /);
    const debug = await runActionDist(actionDist, { message: 'crash', token: SECRET }, { env: { RUNNER_DEBUG: '1' } });
    expect(debug.stdout).toMatch(/::debug::Error: internal failure with/);
    expect(debug.displayed).not.toContain(SECRET);
  });
});

describe('Azure DevOps task bundle', () => {
  const endpoint = {
    url: 'https://harbor.example.com/',
    scheme: 'UsernamePassword',
    parameters: { username: 'robot$ci', password: SECRET },
  };

  it('sets output variables with isOutput and issecret, registers the secret, uploads the summary', async () => {
    const run = await runTaskDist(
      taskDir,
      { message: 'hello', token: SECRET, flag: 'false', harborConnection: 'conn1' },
      { endpoints: { conn1: endpoint } },
    );
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ echoed: 'hello', tokenOut: SECRET });
    expect(run.secretOutputs).toEqual(['tokenOut']);
    expect(run.stdout).toContain('##vso[task.setvariable variable=echoed;isOutput=true;issecret=false;]hello');
    expect(run.stdout).toContain('##vso[task.setvariable variable=tokenOut;isOutput=true;issecret=true;]');
    expect(run.stdout).toMatch(/^##vso\[task\.complete result=Succeeded;\]/m);
    expect(run.stdout).toContain('server: https://harbor.example.com\n');
    expect(run.stdout).toContain('##[group]echo');
    expect(run.displayed).not.toContain(SECRET);
    expect(run.summary).toContain('### Echo');
  });

  it('reports SucceededWithIssues when the capability asks for it', async () => {
    const run = await runTaskDist(taskDir, { message: 'hello', mode: 'fancy' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^##vso\[task\.complete result=SucceededWithIssues;\]/m);
  });

  it.each([
    [{ message: 'x', flag: 'yes' }, "Input 'flag' must be true or false (got 'yes')"],
    [{ message: 'x', mode: 'loud' }, "Input 'mode' must be one of plain, fancy (got 'loud')"],
    [{}, 'Input required and not supplied: message'],
    [
      { message: 'x', waitTime: '5 minutes' },
      "Input 'waitTime' must be a duration like 90s, 5m, 1h30m or 2d (got '5 minutes')",
    ],
  ])('bad input %j fails with one error issue naming the input (camelCase) and exit 1', async (inputs, message) => {
    const run = await runTaskDist(taskDir, inputs);
    expect(run.code).toBe(1);
    const issues = run.stdout.split('\n').filter((l) => l.startsWith('##vso[task.issue'));
    expect(issues).toEqual([`##vso[task.issue type=error;source=TaskInternal;]${message}`]);
    expect(run.stdout).toContain(`##vso[task.complete result=Failed;]${message}`);
    expect(run.stdout).not.toMatch(/\n\s+at /);
  });

  it('an input error found before task-lib loads is written as task-lib writes it: same bytes, same exit code', async () => {
    const env = { COMMAND_CORRELATION_ID: 'corr;1]%AZP25' };
    const inputs = { message: 'x', flag: 'y;e]s%0A%' };
    const early = await runTaskDist(taskDir, inputs, { env });
    // A set secret input loads task-lib before the inputs are read: the same error, reported by task-lib's setResult.
    const loaded = await runTaskDist(taskDir, { ...inputs, token: SECRET }, { env });
    const commands = (stdout: string) => stdout.split('\n').filter((l) => /^##vso\[task\.(issue|complete) /.test(l));
    expect(loaded.stdout).toContain('##vso[task.debug]loading inputs and endpoints');
    expect(commands(loaded.stdout)).toEqual([
      "##vso[task.issue type=error;source=TaskInternal;correlationId=corr%3B1%5D%AZP25AZP25;]Input 'flag' must be true or false (got 'y;e]s%AZP250A%AZP25')",
      "##vso[task.complete result=Failed;]Input 'flag' must be true or false (got 'y;e]s%AZP250A%AZP25')",
    ]);
    // Without task-lib: those two lines and nothing else (task-lib's import alone writes debug lines).
    expect(early.stdout).toBe(commands(loaded.stdout).join('\n') + '\n');
    expect([early.code, early.stderr]).toEqual([1, '']);
    expect([loaded.code, loaded.stderr]).toEqual([1, '']);
  });

  it('a failure message containing the secret is masked in what the agent displays', async () => {
    const run = await runTaskDist(taskDir, { message: 'fail', token: SECRET });
    expect(run.code).toBe(1);
    expect(run.displayed).toContain('echo refused the message; token was ***');
    expect(run.displayed).not.toContain(SECRET);
  });
});

describe('Azure DevOps task bundle debug logging', () => {
  it('never writes a secret input or connection password into task-lib debug lines', async () => {
    const endpoint = {
      url: 'https://harbor.example.com/',
      scheme: 'UsernamePassword',
      parameters: { username: 'robot$ci', password: 'conn-' + SECRET },
    };
    const run = await runTaskDist(
      taskDir,
      { message: 'hello', token: SECRET, harborConnection: 'c1' },
      { endpoints: { c1: endpoint }, env: { SYSTEM_DEBUG: 'true' } },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('##vso[task.debug]');
    const debugLines = run.stdout.split('\n').filter((l) => l.startsWith('##vso[task.debug]'));
    expect(debugLines.join('\n')).not.toContain('w0rd');
  });
});

describe('runner services through each adapter', () => {
  it('GitHub: proxy and CA from the environment (proxy password masked), exec, tool cache', async () => {
    const tools = mkdtempSync(join(tmpdir(), 'echo-tool-'));
    writeFileSync(join(tools, 'echo-tool'), '#!/bin/sh\n');
    const run = await runActionDist(
      actionDist,
      { message: 'm', probe: 'true', 'tool-dir': tools },
      {
        env: {
          HTTPS_PROXY: 'http://proxyuser:Proxy-Pass-9@proxy.corp:3128',
          NO_PROXY: 'localhost,.corp',
          NODE_EXTRA_CA_CERTS: '/etc/corp-ca.pem',
        },
      },
    );
    expect(run.code).toBe(0);
    expect(run.displayed).toContain('proxy: http://proxy.corp:3128/ user: proxyuser password: ***');
    expect(run.displayed).toContain('no-proxy: localhost,.corp bypass:  ca: /etc/corp-ca.pem');
    expect(run.displayed).toContain('exec: 0 42');
    expect(run.displayed).toMatch(/cached: .*tool-cache\/echo-tool\/1\.2\.3\/x64/);
    expect(run.displayed).toMatch(/found: .*tool-cache\/echo-tool\/1\.2\.3\/x64/);
    expect(run.displayed).toContain('other version: nothing');
    expect(run.displayed).not.toContain('Proxy-Pass-9');
  });

  it('Azure DevOps: a run whose inputs did not need task-lib loads it before its first child process, which sees no input, secret or endpoint credential', async () => {
    const run = await runTaskDist(
      taskDir,
      { message: 'm', probe: 'true', notes: 'a plain input' },
      {
        env: {
          SECRET_SOME_VARIABLE: 'a-secret-variable',
          ENDPOINT_AUTH_SYSTEMVSSCONNECTION: '{"parameters":{"AccessToken":"job-token"},"scheme":"OAuth"}',
        },
      },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('##vso[task.debug]loading inputs and endpoints');
    expect(run.displayed).toContain('exec: 0 42 none');
  });

  it('Azure DevOps: Agent.ProxyUrl, bypass list and Agent.CAInfo, exec through task-lib, the agent tool cache layout', async () => {
    const tools = mkdtempSync(join(tmpdir(), 'echo-tool-'));
    writeFileSync(join(tools, 'echo-tool'), '#!/bin/sh\n');
    const run = await runTaskDist(
      taskDir,
      { message: 'm', probe: 'true', toolDir: tools },
      {
        env: {
          AGENT_PROXYURL: 'http://proxy.corp:3128',
          AGENT_PROXYUSERNAME: 'proxyuser',
          // The agent hands its proxy password to tasks as a secret variable.
          SECRET_AGENT_PROXYPASSWORD: 'Proxy-Pass-9',
          AGENT_PROXYBYPASSLIST: '["localhost","\\\\.corp$"]',
          AGENT_CAINFO: '/etc/corp-ca.pem',
        },
      },
    );
    expect(run.code).toBe(0);
    expect(run.displayed).toContain('proxy: http://proxy.corp:3128 user: proxyuser password: ***');
    expect(run.displayed).toContain('no-proxy:  bypass: localhost,\\.corp$ ca: /etc/corp-ca.pem');
    expect(run.displayed).toContain('exec: 0 42');
    expect(run.displayed).toMatch(/found: .*tools\/echo-tool\/1\.2\.3\/x64/);
    expect(run.displayed).toContain('other version: nothing');
    expect(run.stdout).toContain('##vso[task.setsecret]Proxy-Pass-9');
  });
});
