import { spawn, ChildProcess, SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

// Every long-lived process the sandbox starts (docker-registry) goes through here, so a failing test,
// a jest worker that exits, or Ctrl-C on the CLI never leaves an orphan registry holding a port.
const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let hooksInstalled = false;

function killAllSync(): void {
  for (const child of live) {
    try {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

const EXIT_HOOKS = Symbol.for('harbor-pipelines.sandbox.exit-hooks');

/**
 * Runs `hook` when the real process exits. Inside jest's test environment `process` is a per-file copy whose 'exit'
 * never fires, so the hook goes on the main context's process (vm.runInThisContext); one listener per process serves
 * every test file a jest worker runs, instead of one more listener per file.
 */
function onRealExit(hook: () => void): void {
  const real = vm.runInThisContext('process') as NodeJS.Process & { [EXIT_HOOKS]?: Set<() => void> };
  let hooks = real[EXIT_HOOKS];
  if (!hooks) {
    const all = (hooks = real[EXIT_HOOKS] = new Set());
    real.on('exit', () => all.forEach((h) => h()));
  }
  hooks.add(hook);
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous; SIGKILL needs no cooperation from the child.
  onRealExit(killAllSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllSync();
      // Re-raise with the default disposition so the exit status still tells the parent what happened.
      process.kill(process.pid, signal);
    });
  }
}

/**
 * Spawns a process that dies with us. `setpriv --pdeathsig KILL` makes the kernel kill the child when this
 * process dies, even by SIGKILL (a jest worker force-stopped after a timeout runs no exit handler).
 */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  installHooks();
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', '--', command, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

/** Stops a tracked child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopTracked(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    live.delete(child);
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  live.delete(child);
}

/** The pids still running; tests use it to prove stop() left nothing behind. */
export function trackedPids(): number[] {
  return [...live].map((c) => c.pid).filter((p): p is number => p !== undefined);
}

/**
 * All temp dirs of this process live under one root named after its pid, removed at exit. Nothing runs after SIGKILL
 * (or a jest worker force-stopped after a timeout), so each process also sweeps the roots of processes that are gone.
 */
let root: string | undefined;
function tempRoot(): string {
  if (root) return root;
  for (const name of fs.readdirSync(os.tmpdir())) {
    const m = /^harbor-sandbox-pid(\d+)$/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    try {
      process.kill(Number(m[1]), 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH')
        fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
  root = path.join(os.tmpdir(), `harbor-sandbox-pid${process.pid}`);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  tempDirs.add(root);
  return root;
}

/** A fresh temp dir, removed by `removeTempDir`, `removeAllTempDirs`, at exit, or by the next run's sweep. */
export function makeTempDir(prefix: string): string {
  installHooks();
  const dir = fs.mkdtempSync(path.join(tempRoot(), `${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Removes every temp dir this process made (e.g. in afterAll for images made with makeImage()). */
export function removeAllTempDirs(): void {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
  root = undefined;
}
