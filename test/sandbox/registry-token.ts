import { createSign, randomUUID } from 'node:crypto';
import type { TokenSigningKey } from './pki';

/** One entry of the `access` claim, as in the distribution token spec (docs/spec/auth/jwt.md). */
export interface Access {
  type: string; // 'repository' | 'registry'
  name: string; // 'project/repo' | 'catalog'
  actions: string[];
}

export interface TokenOptions {
  issuer: string;
  service: string;
  subject: string;
  access: Access[];
  ttlSeconds?: number;
  /** Which header distribution uses to find the verification key; both work with 2.8 (see the launcher test). */
  keyHint?: 'kid' | 'x5c';
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** An RS256 JWT the registry accepts for `access`. */
export function signRegistryToken(key: TokenSigningKey, opts: TokenOptions): string {
  const header: Record<string, unknown> = { typ: 'JWT', alg: 'RS256' };
  if ((opts.keyHint ?? 'kid') === 'kid') header.kid = key.kid;
  else header.x5c = [key.certDerBase64];
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: opts.issuer,
    sub: opts.subject,
    aud: opts.service,
    // A little slack on nbf: the registry rejects tokens whose nbf is in its future.
    nbf: now - 10,
    iat: now,
    exp: now + (opts.ttlSeconds ?? 1800),
    jti: randomUUID(),
    access: opts.access,
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(key.keyPem);
  return `${signingInput}.${b64url(signature)}`;
}

/** Parses `repository:proj/repo:pull,push` (the name may contain ':' only for a port, never here). */
export function parseScope(scope: string): Access | undefined {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first < 0 || last === first) return undefined;
  return {
    type: scope.slice(0, first),
    name: scope.slice(first + 1, last),
    actions: scope
      .slice(last + 1)
      .split(',')
      .filter(Boolean),
  };
}
