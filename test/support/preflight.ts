import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { goToolPath, toolList, type GoTool } from './tools';

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

export function missingTools(): { apt: AptTool[]; go: GoTool[] } {
  const list = toolList() as { apt: AptTool[]; go: GoTool[] };
  return {
    apt: list.apt.filter((t) => t.only !== 'bench' && !onPath(t.binary)),
    go: list.go.filter((t) => !executable(goToolPath(t))),
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
export function missingToolsLine(missing = missingTools()): string | undefined {
  const parts: string[] = [];
  if (missing.apt.length > 0) {
    const names = missing.apt.map((t) => t.name).join(' ');
    parts.push(`${missing.apt.map((t) => t.binary).join(', ')} (sudo apt-get install -y ${names})`);
  }
  if (missing.go.length > 0) {
    const go = onPath('go') ? '' : ', which needs Go >= 1.24 on PATH';
    parts.push(`${missing.go.map((t) => `${t.name} ${t.version}`).join(', ')} (scripts/install-tools.sh --go-only${go})`);
  }
  if (parts.length === 0) return undefined;
  return `Missing tools for the integration tests: ${parts.join('; ')}. scripts/install-tools.sh installs all of them; npm run test:unit needs none.`;
}
