/** The integration tier's globalSetup: stops at once, with one line, when a pinned tool is missing. */
import { missingToolsLine } from './preflight';

export default async function preflightSetup(): Promise<void> {
  const line = missingToolsLine();
  if (line) {
    process.stderr.write(`\n${line}\n`);
    process.exit(1);
  }
}
