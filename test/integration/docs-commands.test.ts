/**
 * The docs as a newcomer types them. Every command of this repository's tool chain that README.md, docs/*.md and
 * test/sandbox/README.md show — shell blocks, and inline `npm …`, `npx …`, `env …`, `act …`, `node …`, `tfx …`,
 * `scripts/*.sh`, `.ci/run` — is listed below with how it is proven: run here as written, run as written by another
 * named test, or not runnable here and why. A command added to the docs fails this test until it is listed, and a
 * listed command that left the docs fails it too, so the list cannot rot.
 *
 * The ones that can run here run exactly as written: `npm run sandbox -- up --keep` starts the sandbox the README's
 * local-run blocks then push to (the action through `env` with dashed INPUT_ names, the task with task-lib's endpoint
 * variables), `npm run demo`, `npm run reference`, and both packaging commands. skopeo, not our code, checks that the
 * pushed tag is in Harbor.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { makeImage } from '../sandbox/make-image';
import { skopeoDigest } from '../sandbox/skopeo';
import { ROOT } from '../support/bundles';

const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
  'test/sandbox/README.md',
];

type How = { run: 'here' } | { run: 'elsewhere'; by: string } | { run: 'not-here'; why: string };

const CI = {
  run: 'elsewhere',
  by: '.ci/run (CI): scripts/install-tools.sh, npm ci, npm test → preflight, build, jest',
} as const;

/** Every documented command (a shell block is named by its first line), and how it is proven. */
const COMMANDS: Record<string, How> = {
  'npm ci && npm run build   # type-check, bundle actions/*/dist and tasks/*/dist, and write out/harbor-pipelines.harbor-pipelines-<version>.vsix':
    CI,
  'npm ci && npm run build': CI,
  'npm ci': CI,
  'npm run build': CI,
  'npm test': CI,
  'npx jest': CI,
  'npm run test:unit': { run: 'elsewhere', by: '.github/workflows/ci.yml (check job); the unit project of npm test' },
  '.ci/run': CI,
  'npm run lint': { run: 'elsewhere', by: '.github/workflows/ci.yml (check job)' },
  'npm run format:check': { run: 'elsewhere', by: '.github/workflows/ci.yml (check job)' },
  'npm run duplicates': {
    run: 'elsewhere',
    by: '.github/workflows/ci.yml (check job); the same scan in test/integration/duplicates.test.ts',
  },
  'scripts/install-tools.sh': CI,
  'npm run reference': { run: 'here' },
  'npm run sandbox -- up --keep': { run: 'here' },
  'npm run demo': { run: 'here' },
  'npm run demo -- --keep': {
    run: 'not-here',
    why: 'npm run demo (run here), then waits for Ctrl-C with the sandbox up',
  },
  'npm run package': { run: 'here' },
  'npm run package:dev': { run: 'here' },
  'npm run generate': {
    run: 'elsewhere',
    by: 'test/unit/manifests.test.ts (generatedFiles(), what it writes, equals the committed files)',
  },
  "export HARBOR_URL=… HARBOR_USERNAME=… HARBOR_PASSWORD=…   # your Harbor, or the sandbox's harborA: url, admin": {
    run: 'here',
  },
  'export INPUT_PASSWORD="$HARBOR_PASSWORD"': { run: 'here' },
  'export ENDPOINT_URL_harbor="$HARBOR_URL" ENDPOINT_AUTH_SCHEME_harbor=UsernamePassword': { run: 'here' },
  'act workflow_dispatch -W test/fixtures/act/push-gate-replicate.yml -P ubuntu-latest=-self-hosted --var-file vars.env --secret-file secrets.env':
    { run: 'elsewhere', by: 'test/integration/act.test.ts (reads this line from README.md and runs it)' },
  'npx @github/local-action run actions/push main.ts push.env': {
    run: 'not-here',
    why: 'not a dependency of this repository (npx downloads it); checked by hand with @github/local-action 7.0.1',
  },
  'tfx extension create': {
    run: 'elsewhere',
    by: 'test/unit/packaging.test.ts (at the repository root it stops on the missing manifest)',
  },
  'tfx extension publish --vsix …': { run: 'not-here', why: 'needs the marketplace and a publisher token' },
};

const COMMAND = /^(?:(?:npm|npx|env|act|node|tfx) \S|scripts\/[\w-]+\.sh\b|\.ci\/run\b)/;

/** The shell blocks of a markdown file (dedented, comment-only lines kept) and its inline commands. */
function documented(file: string): { blocks: string[]; inline: string[] } {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const fence = /^( *)```(?:sh|bash|shell)\n([\s\S]*?)^\1```/gm;
  const blocks = [...text.matchAll(fence)].map(([, indent, body]) =>
    body
      .split('\n')
      .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
      .join('\n'),
  );
  const prose = text.replace(/^( *)```[\s\S]*?^\1```/gm, '');
  const inline = [...prose.matchAll(/`([^`\n]+)`/g)].map(([, code]) => code).filter((c) => COMMAND.test(c));
  return { blocks, inline };
}

const firstLine = (block: string) =>
  block
    .split('\n')
    .find((l) => l.trim() && !l.trim().startsWith('#'))!
    .trim();
const all = DOCS.map(documented);
const blocks = all.flatMap((d) => d.blocks);
const readmeBlock = (first: string) => {
  const block = documented('README.md').blocks.find((b) => firstLine(b) === first);
  if (!block) throw new Error(`README.md no longer has the block starting '${first}'`);
  return block;
};

describe('every documented command is accounted for', () => {
  it('lists each one with how it is proven, and nothing the docs no longer show', () => {
    const found = new Set([...blocks.map(firstLine), ...all.flatMap((d) => d.inline)]);
    expect([...found].filter((c) => !(c in COMMANDS))).toEqual([]);
    expect(Object.keys(COMMANDS).filter((c) => !found.has(c))).toEqual([]);
  });

  it('names, for the ones run elsewhere, a test or CI file that exists', () => {
    for (const how of Object.values(COMMANDS)) {
      if (how.run !== 'elsewhere') continue;
      const file = how.by.split(' ')[0];
      expect({ file, exists: existsSync(join(ROOT, file)) }).toEqual({ file, exists: true });
    }
  });

  it('never shows the invalid-shell form of a dashed input (INPUT_HARBOR-URL=… as an assignment)', () => {
    for (const file of DOCS) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      expect({ file, bad: text.match(/(?<![\w"'-])INPUT_[A-Z]+-[A-Z-]+=\S*\s+(?:INPUT_\S+\s+)*node /g) }).toEqual({
        file,
        bad: null,
      });
    }
  });
});

/** Runs a command line or block with bash, as a user's shell would; a clean environment plus `env`. */
function bash(script: string, cwd: string, env: Record<string, string>) {
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd,
    encoding: 'utf8',
    // No stdin: Debian's bash reads /etc/bash.bashrc when stdin is a socket (it takes Node's socketpair for sshd), and
    // that file reads $PS1, which `-u` turns into an error on stderr.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env },
    timeout: 300_000,
  });
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** npm commands run from the repository root with the caller's environment, minus a Harbor the demo would pick up. */
function npmEnv(): Record<string, string> {
  const env = { ...process.env } as Record<string, string>;
  for (const name of ['HARBOR_URL', 'HARBOR_USERNAME', 'HARBOR_PASSWORD']) delete env[name];
  return env;
}

describe('README: run locally, as typed, against `npm run sandbox -- up --keep`', () => {
  let sandbox: ChildProcess | undefined;
  let exited: Promise<number | string | null>;
  let closed = false;
  let harbor: { url: string; host: string; admin: { username: string; password: string } };
  let work: string;
  let image: { digest: string };
  let env: Record<string, string>;

  beforeAll(async () => {
    sandbox = spawn('bash', ['-c', 'npm run sandbox -- up --keep'], {
      cwd: ROOT,
      env: npmEnv(),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) =>
      sandbox!.on('close', (code, signal) => {
        closed = true;
        resolve(code ?? signal);
      }),
    );
    let out = '';
    let err = '';
    sandbox.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const printed = await new Promise<{ harborA: typeof harbor }>((resolve, reject) => {
      sandbox!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const start = out.indexOf('\n{');
        if (start < 0) return;
        try {
          resolve(JSON.parse(out.slice(start)) as { harborA: typeof harbor });
        } catch {
          // not all of the JSON yet
        }
      });
      void exited.then((code) => reject(new Error(`the sandbox exited (${code}) before it printed: ${err}`)));
    });
    harbor = printed.harborA;

    // The blocks run from the repository root: a scratch folder that shows this checkout's actions/ and tasks/
    // keeps what they write (outputs.txt, summaries) out of the repository. ./app is the image to push.
    work = mkdtempSync(join(tmpdir(), 'docs-commands-'));
    for (const dir of ['actions', 'tasks']) symlinkSync(join(ROOT, dir), join(work, dir));
    image = makeImage({ dir: join(work, 'app'), tag: 'latest' });
    env = {
      HARBOR_URL: harbor.url,
      HARBOR_USERNAME: harbor.admin.username,
      HARBOR_PASSWORD: harbor.admin.password,
      TMPDIR: work,
    };
  }, 180_000);

  afterAll(async () => {
    if (sandbox?.pid && !closed) {
      process.kill(-sandbox.pid, 'SIGINT');
      const stopped = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 60_000))]);
      if (stopped === 'timeout') process.kill(-sandbox.pid, 'SIGKILL');
    }
    if (work) rmSync(work, { recursive: true, force: true });
  }, 90_000);

  it('the first block only names the three variables the others read (their values are the reader’s)', () => {
    const block = readmeBlock(
      "export HARBOR_URL=… HARBOR_USERNAME=… HARBOR_PASSWORD=…   # your Harbor, or the sandbox's harborA: url, admin",
    );
    const names = [...block.matchAll(/\b([A-Z_]+)=…/g)].map(([, n]) => n);
    expect(names).toEqual(Object.keys(env).filter((n) => n.startsWith('HARBOR_')));
  });

  it('the action block pushes through `env` and writes its outputs to GITHUB_OUTPUT', async () => {
    const run = bash(readmeBlock('export INPUT_PASSWORD="$HARBOR_PASSWORD"'), work, env);
    expect({ code: run.code, errors: run.stdout.split('\n').filter((l) => l.startsWith('::error::')) }).toEqual({
      code: 0,
      errors: [],
    });
    expect(run.stdout).toContain(`digest<<`);
    expect(readFileSync(join(work, 'outputs.txt'), 'utf8')).toContain(image.digest);
    // The password is only ever named to be masked.
    const shown = run.stdout.split('\n').filter((l) => l.includes(harbor.admin.password));
    expect(shown.filter((l) => l !== `::add-mask::${harbor.admin.password}`)).toEqual([]);
    expect(
      await skopeoDigest(`docker://${harbor.host}/library/app:local`, { host: harbor.host, ...harbor.admin }),
    ).toBe(image.digest);
  }, 120_000);

  it('the task block pushes with the service connection task-lib reads, and sets the digest output', () => {
    const run = bash(
      readmeBlock('export ENDPOINT_URL_harbor="$HARBOR_URL" ENDPOINT_AUTH_SCHEME_harbor=UsernamePassword'),
      work,
      env,
    );
    expect(run.stdout).toContain('##vso[task.complete result=Succeeded;]');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`^##vso\\[task\\.setvariable variable=digest;isOutput=true;[^\\]]*\\]${image.digest}$`, 'm'),
    );
  }, 120_000);

  it('npm run sandbox -- up --keep stops everything it started on Ctrl-C', async () => {
    // Ctrl-C signals the terminal's whole process group: npm exits on the signal itself, the sandbox stops its
    // registries and emulators first (test/sandbox/cli.ts); the group is empty once every output pipe has closed.
    process.kill(-sandbox!.pid!, 'SIGINT');
    expect([0, 'SIGINT']).toContain(await exited);
    // The registries got the signal too and exit on their own time: wait (generously, not a timing assertion).
    const alive = () => {
      try {
        process.kill(-sandbox!.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let waited = 0; alive() && waited < 60_000; waited += 250) await new Promise((r) => setTimeout(r, 250));
    expect(alive()).toBe(false);
    await expect(fetch(`${harbor.url}/api/v2.0/ping`)).rejects.toThrow();
  }, 120_000);
});

describe('npm scripts the docs show, as typed', () => {
  const npm = (line: string) => bash(line, ROOT, npmEnv());

  it('npm run reference finds every pinned file', () => {
    const run = npm('npm run reference');
    expect({ code: run.code, stderr: run.stderr.trim() }).toEqual({ code: 0, stderr: '' });
  }, 120_000);

  it('npm run demo runs the documented pipeline against the sandbox and stops it', () => {
    const run = npm('npm run demo');
    expect({ code: run.code, stderr: run.stderr.split('\n').filter((l) => /error/i.test(l)) }).toEqual({
      code: 0,
      stderr: [],
    });
    expect(run.stdout).toMatch(/^pushed \S+\/team\/app:\S+ → sha256:[0-9a-f]{64}$/m);
  }, 300_000);

  it.each([
    ['npm run package', 'harbor-pipelines.harbor-pipelines-'],
    ['npm run package:dev', 'harbor-pipelines.harbor-pipelines-dev-'],
  ])(
    '%s writes the .vsix it names',
    (line, prefix) => {
      const run = npm(line);
      expect(run.code).toBe(0);
      const vsix = run.stdout.trim().split('\n').at(-1)!;
      expect(dirname(vsix)).toBe(join(ROOT, 'out'));
      expect(vsix.slice(dirname(vsix).length + 1)).toMatch(new RegExp(`^${prefix}\\d+\\.\\d+\\.\\d+\\.vsix$`));
      expect(statSync(vsix).size).toBeGreaterThan(0);
    },
    300_000,
  );
});
