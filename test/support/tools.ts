import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The one way tests find the pinned tools that scripts/install-tools.sh installs (list: scripts/tools.json).
 * Go tools live in .tools/<name>-<version>/<binary>; apt tools are on PATH.
 */
export const repoRoot = resolve(__dirname, '..', '..');

export interface GoTool {
  name: string;
  version: string;
  package: string;
  ldflags: string;
  binary: string;
  why: string;
}

export interface ToolList {
  apt: { name: string; why: string; binary: string }[];
  go: GoTool[];
}

export function toolList(): ToolList {
  return JSON.parse(readFileSync(join(repoRoot, 'scripts', 'tools.json'), 'utf8')) as ToolList;
}

/** Every pinned version of a Go tool, in list order (helm has two: one per major). */
export function goTools(name: string): GoTool[] {
  const found = toolList().go.filter((t) => t.name === name);
  if (found.length === 0) throw new Error(`scripts/tools.json pins no Go tool named '${name}'`);
  return found;
}

export function goToolPath(tool: GoTool): string {
  return join(repoRoot, '.tools', `${tool.name}-${tool.version}`, tool.binary);
}

/**
 * The absolute path of a pinned Go tool; `versionPrefix` picks one of several pins (e.g. 'v4.' for Helm 4).
 * A missing tool fails the test with the command that installs it: a real-tool test never silently skips.
 */
export function requireGoTool(name: string, versionPrefix = ''): string {
  const tool = goTools(name).find((t) => t.version.startsWith(versionPrefix));
  if (!tool) throw new Error(`scripts/tools.json pins no ${name} ${versionPrefix}*`);
  const path = goToolPath(tool);
  if (!existsSync(path)) {
    throw new Error(
      `${name} ${tool.version} is not installed at ${path}; run scripts/install-tools.sh (the README's test command does)`,
    );
  }
  return path;
}

/** Both pinned helm binaries, Helm 3 first, each with its pinned version without the `v`. */
export function pinnedHelms(): { major: 3 | 4; version: string; binary: string }[] {
  return goTools('helm').map((t) => ({
    major: Number(t.version.slice(1).split('.')[0]) as 3 | 4,
    version: t.version.slice(1),
    binary: requireGoTool('helm', t.version),
  }));
}
