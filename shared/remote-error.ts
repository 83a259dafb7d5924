import { UserError } from './errors';
import { redactText } from './redact';

/**
 * What a remote refusal means for the user, decided from the status and the remote error code only — never from the
 * message text, which servers reword between versions and languages.
 */
export type RemoteKind =
  /** The credentials were refused (or, on a registry, the token carries no identity). */
  | 'credentials'
  /** The account is known but lacks a permission (Harbor API: 403 FORBIDDEN). */
  | 'permission'
  /**
   * Refused by a rule of the service rather than a role: Harbor answers 403 DENIED for a full project quota and for
   * read-only mode (src/lib/errors/const.go DeniedError, src/server/middleware/quota/quota.go,
   * src/server/middleware/readonly/readonly.go) and 412 PRECONDITION / PROJECTPOLICYVIOLATION for immutable tags,
   * signature and vulnerability policies (src/server/middleware/immutable/pushmf.go, contenttrust/contentrust.go;
   * status mapping in src/lib/http/error.go).
   */
  | 'policy'
  | 'not-found'
  | 'conflict'
  | 'invalid'
  | 'throttled'
  | 'server'
  | 'unexpected';

export interface RemoteErrorFields {
  /** Who answered: 'Harbor', 'Registry', 'Token service', 'Azure'. */
  service: string;
  /** What we asked for, as words: 'reading artifact library/app:v1', 'push to host/repo'. */
  operation: string;
  status: number;
  /** The remote error code (Harbor/OCI `errors[].code`, ARM `error.code`). */
  code?: string;
  /** The remote error message, redacted; shown to the user, never inspected. */
  remoteMessage?: string;
  /** The account the request ran as. */
  account?: string;
  /** Where: Harbor's URL or the registry host. */
  endpoint?: string;
  /** Retry-After as sent, for callers that retry. */
  retryAfter?: string;
  /** Set when status and code alone cannot decide (e.g. a registry token without a subject is 'credentials'). */
  kind?: RemoteKind;
  /** What to do about it, written by the caller that knows the context. */
  advice?: string;
}

/**
 * One remote answer the caller did not expect: which service, which operation, the status, the remote code and message.
 * Behaviour branches on `kind`, `status` and `code`; the words are made from the fields, once, here — the model is
 * go-containerregistry's transport.Error + CheckError. To add context, derive a new error with `with(...)` instead of
 * editing the message.
 */
export class RemoteError extends UserError implements Readonly<RemoteErrorFields> {
  readonly service!: string;
  readonly operation!: string;
  readonly status!: number;
  readonly code?: string;
  readonly remoteMessage?: string;
  readonly account?: string;
  readonly endpoint?: string;
  readonly retryAfter?: string;
  readonly advice?: string;
  readonly kind: RemoteKind;

  constructor(fields: RemoteErrorFields, options?: { cause?: unknown }) {
    const kind = fields.kind ?? classify(fields.status, fields.code);
    super(describe({ ...fields, kind }), options);
    Object.assign(this, fields);
    this.kind = kind;
    this.name = 'RemoteError';
  }

  /** A copy with some fields replaced (typically `advice`); the message is made anew from the fields. */
  with(patch: Partial<RemoteErrorFields>): RemoteError {
    const { service, operation, status, code, remoteMessage, account, endpoint, retryAfter, advice } = this;
    const kind = patch.kind ?? (patch.status !== undefined || patch.code !== undefined ? undefined : this.kind);
    return new RemoteError(
      { service, operation, status, code, remoteMessage, account, endpoint, retryAfter, advice, kind, ...patch },
      { cause: this.cause },
    );
  }

  /** Worth sending again: 408, 429 and 5xx. */
  get retryable(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** The decision table: status first, the remote code where one status means several things. */
export function classify(status: number, code?: string): RemoteKind {
  const upper = code?.toUpperCase();
  if (status === 401) return 'credentials';
  if (status === 403) return upper === 'DENIED' ? 'policy' : 'permission';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 412) return 'policy';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'server';
  if (status === 400 || status === 422 || status === 413) return 'invalid';
  return 'unexpected';
}

const DEFAULT_ADVICE: Partial<Record<RemoteKind, string>> = {
  credentials: 'check the username and password',
  permission: 'the account lacks the permission',
  policy:
    'this is a policy of the service (e.g. a full project quota, read-only mode or an immutable tag), not a missing role',
};

/**
 * Which rule a policy refusal is, from the status alone: Harbor answers 403 DENIED for a full storage quota and for
 * read-only mode (src/server/middleware/quota/quota.go, readonly/readonly.go) and 412 for an immutable tag and for the
 * signature and vulnerability policies (src/server/middleware/immutable/pushmf.go, contenttrust, vulnerable).
 */
function policyAdvice(status: number): string | undefined {
  if (status === 403)
    return "a quota or read-only rule, not a missing role: the project's storage quota is full (free space or raise the quota) or the registry is read-only";
  if (status === 412)
    return 'a project rule, not a missing role: an immutable tag cannot be overwritten (push a new tag or change the rule), or a signature or vulnerability policy blocks the artifact';
  return undefined;
}

/** The one place a RemoteError becomes words. */
function describe(f: RemoteErrorFields & { kind: RemoteKind }): string {
  const remote = [f.code, f.remoteMessage].filter(Boolean).join(': ');
  const who = f.account ?? 'anonymous';
  const advice = f.advice ?? (f.kind === 'policy' ? policyAdvice(f.status) : undefined) ?? DEFAULT_ADVICE[f.kind];
  const tail = advice ? `; ${advice}` : '';
  switch (f.kind) {
    case 'credentials':
      return `${f.service} authentication failed for ${who}${f.endpoint ? ` at ${f.endpoint}` : ''}${remote ? ` (${remote})` : ''}${tail}`;
    case 'permission':
      return `${f.service} denied ${f.operation} for ${who} (${f.status}${remote ? `: ${remote}` : ''})${tail}`;
    case 'policy':
      return `${f.service} refused ${f.operation} by policy (${f.status}${remote ? `: ${remote}` : ''})${tail}`;
    default:
      return `${f.service} ${f.operation} failed with ${f.status}${remote ? `: ${remote}` : ''}${tail}`;
  }
}

const MAX_REMOTE = 300;

/**
 * The code and message of an error body: Harbor and OCI `{"errors":[{"code","message"}]}`, ARM
 * `{"error":{"code","message"}}`, `{"message"}`, or the first line of a text body. Redacted and shortened.
 */
export function parseRemoteBody(body: Buffer | string): { code?: string; message?: string } {
  const text = body.toString().trim();
  if (!text) return {};
  const clip = (s: string | undefined) => (s ? redactText(s).slice(0, MAX_REMOTE) : undefined);
  try {
    const json = JSON.parse(text) as {
      errors?: { code?: string; message?: string }[];
      error?: { code?: string; message?: string } | string;
      message?: string;
    };
    if (Array.isArray(json.errors) && json.errors.length > 0) {
      const first = json.errors.find((e) => e.code) ?? json.errors[0];
      const messages = json.errors.map((e) => e.message).filter(Boolean);
      return { code: first.code, message: clip(messages.join('; ')) };
    }
    if (json.error && typeof json.error === 'object')
      return { code: json.error.code, message: clip(json.error.message) };
    if (typeof json.error === 'string') return { message: clip(json.error) };
    if (typeof json.message === 'string') return { message: clip(json.message) };
  } catch {
    // not JSON: the text itself
  }
  return { message: clip(text.split(/\r?\n/)[0]) };
}

/**
 * CheckError's counterpart: a response whose status is not in `expected` becomes a RemoteError with the body's code and
 * message; an expected one passes through.
 */
export function remoteErrorFrom(
  res: { status: number; headers: Record<string, string>; body: Buffer },
  fields: Omit<RemoteErrorFields, 'status' | 'code' | 'remoteMessage' | 'retryAfter'>,
): RemoteError {
  const { code, message } = parseRemoteBody(res.body);
  return new RemoteError({
    ...fields,
    status: res.status,
    code,
    remoteMessage: message,
    retryAfter: res.headers['retry-after'],
  });
}
