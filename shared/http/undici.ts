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

let parts: UndiciParts | undefined;

/**
 * The three parts of undici the HTTP layer uses, loaded on first use. undici's package entry also builds fetch,
 * WebSocket, EventSource, the mock agents and their web-stream and worker dependencies: about half of what a step
 * spends starting up (bench/push/RESULTS.md). The package has no `exports` map, so these are its published files;
 * test/integration/http-client.test.ts fails if an undici update moves them.
 */
export function undici(): UndiciParts {
  if (parts) return parts;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const Dispatcher = require('undici/lib/dispatcher/dispatcher') as typeof Undici.Dispatcher;
  // As undici's entry does: request(), connect() (used by ProxyAgent's tunnel) etc. are mixed into every dispatcher.
  Object.assign(Dispatcher.prototype, require('undici/lib/api'));
  const Agent = require('undici/lib/dispatcher/agent') as typeof Undici.Agent;
  const ProxyAgent = require('undici/lib/dispatcher/proxy-agent') as typeof Undici.ProxyAgent;
  /* eslint-enable @typescript-eslint/no-require-imports */
  parts = {
    Agent,
    ProxyAgent,
    // What undici's top-level request() does with a URL before calling the same method on the dispatcher.
    request: (dispatcher, url, options) => {
      const { origin, pathname, search } = new URL(url);
      return dispatcher.request({ ...options, origin, path: `${pathname}${search}` });
    },
  };
  return parts;
}
