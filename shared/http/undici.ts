import type * as Undici from 'undici';
import type { Dispatcher } from 'undici';

export interface UndiciParts {
  Agent: typeof Undici.Agent;
  ProxyAgent: typeof Undici.ProxyAgent;
  /** `request` bound to an explicit dispatcher: the one call the HTTP layer makes. */
  request(
    dispatcher: Dispatcher,
    url: string,
    options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>,
  ): Promise<Dispatcher.ResponseData>;
}

let parts: Promise<UndiciParts> | undefined;

/**
 * The three parts of undici the HTTP layer uses, loaded on first use. undici's package entry also builds fetch,
 * WebSocket, EventSource, the mock agents and their web-stream and worker dependencies: about half of what a step
 * spends starting up (bench/push/RESULTS.md). The package has no `exports` map, so these are its published files
 * (./undici-parts); test/integration/http-client.test.ts fails if an undici update moves them. Loaded through
 * `import()` so that the bundler keeps them (~500 KB) out of what a step compiles before its first input error.
 */
export function undici(): Promise<UndiciParts> {
  parts ??= import('./undici-parts').then((m) => m.parts);
  return parts;
}
