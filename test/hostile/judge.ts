/**
 * What a runner would do with a step's stdout that it should not: the commands it would honour that our adapters did
 * not issue (judged with each runner's own grammar, test/support/runner-commands.ts). The planted commands all carry
 * PWNED, so one of ours that quotes planted text is caught too.
 */
import { azureDevOpsCommands, gitHubCommands } from '../support/runner-commands';

export type PlatformName = 'github' | 'azure-devops';

/** The commands our adapters issue; anything else was planted. */
const OURS_GITHUB = new Set(['add-mask', 'error', 'warning', 'debug', 'group', 'endgroup', 'stop-commands']);
const OURS_ADO = new Set([
  'task.setsecret',
  'task.issue',
  'task.complete',
  'task.debug',
  'task.setvariable',
  'task.uploadsummary',
]);
/** Our adapters' stop-commands token (actions/adapter/log-text.ts): 128 random bits. */
const OUR_TOKEN = /^hp-[0-9a-f]{32}$/;

/**
 * Lines whose command a runner would honour although we did not issue it, plus (ADO) lines the agent would warn about.
 * `result` is how the step must have completed on Azure DevOps (a planted `task.complete` must not change it);
 * `secrets` are the case's own secret values, which the step must mask even when they carry planted text.
 */
export function honouredForeignCommands(
  stdout: string,
  platform: PlatformName,
  result: string,
  secrets: readonly string[] = [],
): string[] {
  if (platform === 'github') {
    const commands = gitHubCommands(stdout);
    return [
      ...commands.filter((x) => !OURS_GITHUB.has(x.name) && !OUR_TOKEN.test(x.name)),
      ...commands.filter((x) => x.name === 'stop-commands' && !OUR_TOKEN.test(x.data)),
      // Masking a case's own secret is ours even when the secret carries planted text (it must be masked whole).
      ...commands.filter((x) => x.name === 'add-mask' && x.data.includes('PWNED') && !secrets.includes(x.data)),
      ...commands.filter((x) => x.name === 'error' && x.data.startsWith('PWNED')),
    ].map((x) => x.line);
  }
  const { commands, warnedLines } = azureDevOpsCommands(stdout);
  return [
    ...commands.filter((x) => !OURS_ADO.has(x.name)),
    ...commands.filter((x) => x.name === 'task.setvariable' && /PWNED/.test(x.properties.variable ?? '')),
    ...commands.filter((x) => x.name === 'task.complete' && x.properties.result !== result),
  ]
    .map((x) => x.line)
    .concat(warnedLines);
}
