/**
 * What each runner would act on in a step's stdout, re-implemented from the runners' sources (not from our adapters,
 * so one mistake cannot hide on both sides):
 * - GitHub: actions/runner src/Runner.Common/ActionCommand.cs (TryParseV2: `::name props::data` after leading
 *   whitespace; TryParse: legacy `##[name props]data` anywhere in the line) and src/Runner.Worker/ActionCommandManager.cs
 *   (registered names only, case-insensitive; `stop-commands` pauses everything until a line whose command is the token).
 * - Azure Pipelines agent: src/Microsoft.VisualStudio.Services.Agent/Command.cs (TryParse: `##vso[area.event props]data`
 *   anywhere in the line; exactly two dot-separated parts) as called by src/Agent.Worker/WorkerCommandManager.cs, which
 *   also warns on any line that contains `##vso` without parsing.
 */

export interface RunnerCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
  line: string;
}

const GITHUB_COMMANDS = new Set([
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'endgroup',
  'error',
  'group',
  'notice',
  'warning',
]);

/** Commands the GitHub runner would honour, in order; `stop-commands` and its resume are reported too. */
export function gitHubCommands(stdout: string): RunnerCommand[] {
  const honoured: RunnerCommand[] = [];
  const registered = new Set([...GITHUB_COMMANDS, 'stop-commands']);
  let stopToken: string | undefined;
  for (const line of stdout.split('\n').map((l) => l.replace(/\r$/, ''))) {
    const command = parseGitHubV2(line, registered) ?? parseGitHubLegacy(line, registered);
    if (!command) continue;
    if (stopToken !== undefined) {
      if (command.name.toLowerCase() === stopToken.toLowerCase()) {
        registered.delete(stopToken.toLowerCase());
        stopToken = undefined;
        honoured.push(command);
      }
      continue;
    }
    if (command.name.toLowerCase() === 'stop-commands') {
      stopToken = command.data;
      registered.add(stopToken.toLowerCase());
    }
    honoured.push(command);
  }
  return honoured;
}

function parseGitHubV2(raw: string, registered: Set<string>): RunnerCommand | undefined {
  const message = raw.trimStart();
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')
      .filter(Boolean)) {
      const at = pair.indexOf('=');
      if (at > 0 && at < pair.length - 1) properties[pair.slice(0, at)] = unescapeGitHub(pair.slice(at + 1), true);
    }
  }
  return { name, properties, data: unescapeGitHub(message.slice(end + 2), false), line: raw };
}

function parseGitHubLegacy(line: string, registered: Set<string>): RunnerCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const rb = line.indexOf(']', prefix);
  if (rb < 0) return undefined;
  const info = line.slice(prefix + 3, rb);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)) {
      const at = pair.indexOf('=');
      if (at > 0 && at < pair.length - 1) properties[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return { name, properties, data: line.slice(rb + 1), line };
}

function unescapeGitHub(text: string, property: boolean): string {
  let out = text.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',');
  return out.replace(/%25/g, '%');
}

/** Commands the Azure Pipelines agent would act on, and lines it would warn about (`##vso` that does not parse). */
export function azureDevOpsCommands(stdout: string): { commands: RunnerCommand[]; warnedLines: string[] } {
  const commands: RunnerCommand[] = [];
  const warnedLines: string[] = [];
  for (const line of stdout.split('\n').map((l) => l.replace(/\r$/, ''))) {
    const command = parseVso(line);
    if (command) commands.push(command);
    else if (line.includes('##vso')) warnedLines.push(line);
  }
  return { commands, warnedLines };
}

function parseVso(line: string): RunnerCommand | undefined {
  const prefix = line.indexOf('##vso[');
  if (prefix < 0) return undefined;
  const rb = line.indexOf(']', prefix);
  if (rb < 0) return undefined;
  const info = line.slice(prefix + 6, rb);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (name.split('.').filter(Boolean).length !== 2) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)) {
      const at = pair.indexOf('=');
      if (at > 0 && at < pair.length - 1) properties[pair.slice(0, at)] = unescapeVso(pair.slice(at + 1));
    }
  }
  return { name: name.toLowerCase(), properties, data: unescapeVso(line.slice(rb + 1)), line };
}

function unescapeVso(text: string): string {
  return text
    .replace(/%0D/g, '\r')
    .replace(/%0A/g, '\n')
    .replace(/%5D/g, ']')
    .replace(/%3B/g, ';')
    .replace(/%AZP25/g, '%');
}
