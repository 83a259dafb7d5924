/**
 * Text for the Azure Pipelines agent's log that the agent cannot act on.
 *
 * The agent (microsoft/azure-pipelines-agent src/Microsoft.VisualStudio.Services.Agent/Command.cs, Command.TryParse,
 * called by WorkerCommandManager.TryProcessCommand for every output line) executes `##vso[area.event …]data` found
 * ANYWHERE in a line, and warns about any line that merely contains `##vso`. Its web log also formats lines that
 * start with `##[error]`, `##[warning]`, `##[group]`, `##[section]` and the like. The agent has no equivalent of
 * GitHub's stop-commands, so foreign text is escaped instead: the `##` of every `##vso` and `##[` is broken by a
 * space (`# #vso[`), which keeps the text readable and can no longer be parsed.
 */
export function safeForAzureDevOps(text: string): string {
  return text
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/##(?=vso|\[)/gi, '# #'))
    .join('\n');
}
