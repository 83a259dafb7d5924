import type * as Crypto from 'node:crypto';

/**
 * Text for the GitHub runner's log that the runner cannot act on.
 *
 * The runner (actions/runner src/Runner.Common/ActionCommand.cs, ActionCommandManager.TryProcessCommand) reads every
 * output line as a command when, after leading whitespace, it starts with `::name …::` (TryParseV2), or when it holds
 * `##[name …]` anywhere (the legacy TryParse). A report, a remote answer or an input that contains such a line could
 * set outputs, add masks, raise annotations, or send `::stop-commands::` and hide the step's own `::error::`.
 *
 * Text that could be read as a command is printed verbatim between `::stop-commands::<token>` and `::<token>::` —
 * GitHub's documented way to print foreign text — with a fresh random token the text cannot know (the runner masks it).
 * Everything else is printed as it is.
 */
export function safeForGitHub(text: string): string {
  const lines = text.split(/\r?\n|\r/);
  if (!lines.some(couldBeCommand)) return lines.join('\n');
  // node:crypto loads here, for the rare line that needs a token, not with every step's start (bench/startup).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const token = `hp-${(require('node:crypto') as typeof Crypto).randomBytes(16).toString('hex')}`;
  return [`::stop-commands::${token}`, ...lines, `::${token}::`].join('\n');
}

/** Broader than the runner on purpose: any name counts (commands are added over time, and a stop token is any word). */
function couldBeCommand(line: string): boolean {
  const trimmed = line.trimStart();
  if (trimmed.startsWith('::') && trimmed.indexOf('::', 2) >= 0) return true;
  const legacy = line.indexOf('##[');
  return legacy >= 0 && line.indexOf(']', legacy) >= 0;
}
