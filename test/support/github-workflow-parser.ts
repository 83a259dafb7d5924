import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

interface ParserModule {
  parseWorkflow(
    file: { name: string; content: string },
    trace: unknown,
  ): { context: { errors: { getErrors(): { message: string }[] } } };
  NoOperationTraceWriter: new () => unknown;
}

let parser: ParserModule | undefined;

/**
 * GitHub's own workflow parser (the one the runner service uses), for what the JSON schema cannot see: expression
 * syntax, unknown contexts, keys that exclude each other. It is ESM with JSON imports that Node 20 cannot load, so it
 * is bundled to CommonJS once per test run.
 */
function load(): ParserModule {
  if (parser) return parser;
  const out = join(mkdtempSync(join(tmpdir(), 'workflow-parser-')), 'parser.cjs');
  buildSync({
    stdin: {
      contents: "export { parseWorkflow, NoOperationTraceWriter } from '@actions/workflow-parser';",
      resolveDir: __dirname,
      loader: 'js',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'error',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  parser = require(out) as ParserModule;
  return parser;
}

export function githubWorkflowErrors(file: string): string[] {
  const { parseWorkflow, NoOperationTraceWriter } = load();
  const result = parseWorkflow({ name: file, content: readFileSync(file, 'utf8') }, new NoOperationTraceWriter());
  return result.context.errors.getErrors().map((e) => e.message);
}
