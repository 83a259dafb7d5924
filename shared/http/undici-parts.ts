import type * as Undici from 'undici';
import type { UndiciParts } from './undici';

/* eslint-disable @typescript-eslint/no-require-imports */
const Dispatcher = require('undici/lib/dispatcher/dispatcher') as typeof Undici.Dispatcher;
// As undici's entry does: request(), connect() (used by ProxyAgent's tunnel) etc. are mixed into every dispatcher.
Object.assign(Dispatcher.prototype, require('undici/lib/api'));
const Agent = require('undici/lib/dispatcher/agent') as typeof Undici.Agent;
const ProxyAgent = require('undici/lib/dispatcher/proxy-agent') as typeof Undici.ProxyAgent;
/* eslint-enable @typescript-eslint/no-require-imports */

/** undici's published files the HTTP layer uses; loaded through shared/http/undici.ts only. */
export const parts: UndiciParts = {
  Agent,
  ProxyAgent,
  // What undici's top-level request() does with a URL before calling the same method on the dispatcher.
  request: (dispatcher, url, options) => {
    const { origin, pathname, search } = new URL(url);
    return dispatcher.request({ ...options, origin, path: `${pathname}${search}` });
  },
};
