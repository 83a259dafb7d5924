import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { goToolPath, repoRoot, toolList, type GoTool } from './tools';

// The integration tests' preflight: which pinned tools (scripts/tools.json) are missing, and the one line that says
// how to get them. A missing registry binary used to surface as a 10-second start-up timeout per test.

export interface AptTool {
  name: string;
  why: string;
  binary: string;
  /** 'bench' for tools only the benchmarks use: the tests do not need them. */
  only?: string;
}

function onPath(binary: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, binary), constants.X_OK);
      return true;
    } catch {
      // not in this folder
    }
  }
  return false;
}

/** A binary published as an npm package (a real Node 16), unpacked by scripts/install-tools.sh. */
export interface NpmTool {
  name: string;
  version: string;
  package: string;
  binary: string;
  why: string;
}

export function npmToolPath(tool: NpmTool): string {
  return join(repoRoot, '.tools', `${tool.name}-${tool.version}`, tool.binary);
}

/** The absolute path of a pinned npm-packaged tool; fails with the install command when it is missing. */
export function requireNpmTool(name: string): string {
  const tool = ((toolList() as { npm?: NpmTool[] }).npm ?? []).find((t) => t.name === name);
  if (!tool) throw new Error(`scripts/tools.json pins no npm tool named '${name}'`);
  const path = npmToolPath(tool);
  if (!executable(path))
    throw new Error(`${name} ${tool.version} is not installed at ${path}; run scripts/install-tools.sh --no-apt`);
  return path;
}

export interface MissingTools {
  apt: AptTool[];
  go: GoTool[];
  npm?: NpmTool[];
}

export function missingTools(): MissingTools {
  const list = toolList() as { apt: AptTool[]; go: GoTool[]; npm?: NpmTool[] };
  return {
    apt: list.apt.filter((t) => t.only !== 'bench' && !onPath(t.binary)),
    go: list.go.filter((t) => !executable(goToolPath(t))),
    npm: (list.npm ?? []).filter((t) => !executable(npmToolPath(t))),
  };
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** One line naming every missing tool and the command that installs it, or undefined when nothing is missing. */
export function missingToolsLine(missing: MissingTools = missingTools()): string | undefined {
  const parts: string[] = [];
  if (missing.apt.length > 0) {
    const names = missing.apt.map((t) => t.name).join(' ');
    parts.push(`${missing.apt.map((t) => t.binary).join(', ')} (sudo apt-get install -y ${names})`);
  }
  if (missing.go.length > 0) {
    const go = onPath('go') ? '' : ', which needs Go >= 1.24 on PATH';
    parts.push(
      `${missing.go.map((t) => `${t.name} ${t.version}`).join(', ')} (scripts/install-tools.sh --go-only${go})`,
    );
  }
  if (missing.npm && missing.npm.length > 0) {
    parts.push(
      `${missing.npm.map((t) => `${t.name} ${t.version}`).join(', ')} (scripts/install-tools.sh --no-apt: npm pack ${missing.npm.map((t) => t.package).join(' ')})`,
    );
  }
  if (parts.length === 0) return undefined;
  return `Missing tools for the integration tests: ${parts.join('; ')}. scripts/install-tools.sh installs all of them; npm run test:unit needs none.`;
}
