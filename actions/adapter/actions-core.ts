/**
 * The part of @actions/core the GitHub adapter uses, built on the package's own command and file-command modules
 * (which do the escaping and the GITHUB_OUTPUT heredoc format). @actions/core's entry module also loads its OIDC
 * client, and with it @actions/http-client, tunnel, undici and @actions/exec, on every start: that was most of a
 * step's start-up cost before its first input error (bench/push/RESULTS.md). The functions here behave as the
 * package's functions of the same names (test/adapter/bundles.test.ts asserts the exact lines on the real bundle).
 */
import { EOL } from 'node:os';
import { issue, issueCommand } from '@actions/core/lib/command';
import type * as FileCommand from '@actions/core/lib/file-command';
import type * as Summary from '@actions/core/lib/summary';
import { toCommandValue } from '@actions/core/lib/utils';

export function getInput(name: string, options: { trimWhitespace?: boolean } = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
  return options.trimWhitespace === false ? value : value.trim();
}

/**
 * The file-command module (GITHUB_OUTPUT and friends), loaded on the first output: it loads node:crypto for its
 * heredoc delimiter, which a step stopped by its inputs never needs (bench/startup).
 */
function fileCommand(): typeof FileCommand {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@actions/core/lib/file-command') as typeof FileCommand;
}

export function setOutput(name: string, value: string): void {
  if (process.env.GITHUB_OUTPUT) {
    const { issueFileCommand, prepareKeyValueMessage } = fileCommand();
    return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
  }
  process.stdout.write(EOL);
  issueCommand('set-output', { name }, toCommandValue(value));
}

export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}

export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

export function info(message: string): void {
  process.stdout.write(message + EOL);
}

export function warning(message: string): void {
  issueCommand('warning', {}, message);
}

export function error(message: string): void {
  issueCommand('error', {}, message);
}

export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

export async function group<T>(name: string, fn: () => Promise<T>): Promise<T> {
  issue('group', name);
  try {
    return await fn();
  } finally {
    issue('endgroup');
  }
}

/** The job summary writer, loaded when a step writes its summary. */
export function summary(): typeof Summary.summary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('@actions/core/lib/summary') as typeof Summary).summary;
}
