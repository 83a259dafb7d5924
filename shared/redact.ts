/** Removes credentials from what we print: URLs, headers and free text. */

const SENSITIVE_QUERY =
  /^(sig|signature|token|access_token|refresh_token|password|passwd|secret|client_secret|code|key|sv|se)$/i;
const SENSITIVE_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-harbor-csrf-token|x-ms-authorization-auxiliary)$/i;

export function redactUrl(input: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    return redactText(String(input));
  }
  if (url.username) url.username = '***';
  if (url.password) url.password = '***';
  for (const key of [...url.searchParams.keys()]) {
    if (SENSITIVE_QUERY.test(key)) url.searchParams.set(key, '***');
  }
  return url.toString();
}

export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = SENSITIVE_HEADER.test(name) ? '***' : value;
  return out;
}

/** Strips `user:pass@` from URLs and bearer/basic credentials from text such as remote error bodies. */
export function redactText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s:]+(:[^/@\s]*)?@/gi, '$1***@')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***');
}

/**
 * The credentials written into a URL (`https://robot:pw@host`), raw and decoded, so they can be registered as secrets
 * before anything logs the URL. Tolerates text that is not a URL (the userinfo is found by pattern then).
 */
export function urlCredentials(text: string): string[] {
  const match = /^\s*[a-z][a-z0-9+.-]*:\/\/([^/?#@\s]*)@/i.exec(text);
  if (!match) return [];
  const found = new Set<string>();
  const [user, ...rest] = match[1].split(':');
  const password = rest.join(':');
  for (const part of [password, user, match[1]]) {
    if (!part) continue;
    found.add(part);
    try {
      found.add(decodeURIComponent(part));
    } catch {
      // Not percent-encoded validly: the raw form is registered already.
    }
  }
  return [...found];
}
