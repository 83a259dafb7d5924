/**
 * `npm test`'s first step, before the build: gets what the tests need when it can, and otherwise stops within seconds
 * with one line naming what is missing and how to get it.
 *  - reference files (test/reference/manifest.json): downloaded into .cache/reference when missing and reachable;
 *  - tools (scripts/tools.json): installed by scripts/install-tools.sh when that needs no password (root, or sudo
 *    without a prompt) and Go is there for the Go tools; npm-packaged ones (a Node 16) need only npm.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REFERENCE_ENV, referenceProblem } from '../test/reference';
import { missingTools, missingToolsLine } from '../test/support/preflight';
import { downloadReferences } from './reference';

const ROOT = join(__dirname, '..');

function fail(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(1);
}

function succeeds(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

async function references(): Promise<void> {
  const problem = referenceProblem();
  if (!problem) return;
  try {
    await downloadReferences();
  } catch (err) {
    fail(
      `${problem.replace(/: run .*$/, '')}, and \`npm run reference\` could not get it: ${(err as Error).message.replace(/; without internet.*$/, '')}. Set ${REFERENCE_ENV} to a folder that holds the pinned files (test/reference/manifest.json lists them).`,
    );
  }
  const still = referenceProblem();
  if (still) fail(still);
}

function tools(): void {
  const missing = missingTools();
  const line = missingToolsLine(missing);
  if (!line) return;
  const root = process.getuid?.() === 0;
  const canApt =
    missing.apt.length === 0 || (succeeds('apt-get', ['--version']) && (root || succeeds('sudo', ['-n', 'true'])));
  const canGo = missing.go.length === 0 || succeeds('go', ['version']);
  if (!canApt || !canGo) fail(line);
  const onlyApt = missing.go.length === 0 && (missing.npm ?? []).length === 0;
  const mode = missing.apt.length === 0 ? ['--no-apt'] : onlyApt ? ['--apt-only'] : [];
  process.stderr.write(`preflight: installing the missing tools with scripts/install-tools.sh ${mode.join(' ')}\n`);
  const run = spawnSync(join(ROOT, 'scripts', 'install-tools.sh'), mode, { stdio: 'inherit' });
  if (run.status !== 0) fail(`scripts/install-tools.sh failed (exit ${run.status}); ${line}`);
  const still = missingToolsLine();
  if (still) fail(still);
}

void (async () => {
  await references();
  tools();
})();
