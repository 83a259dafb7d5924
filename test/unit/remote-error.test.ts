import { classify, parseRemoteBody, RemoteError } from '../../shared/remote-error';

describe('RemoteError', () => {
  it('decides the kind from status and code, never from the message', () => {
    expect(classify(401)).toBe('credentials');
    expect(classify(403, 'FORBIDDEN')).toBe('permission');
    // Harbor: a full quota and read-only mode are 403 DENIED (src/lib/errors/const.go, src/server/middleware/quota/quota.go).
    expect(classify(403, 'DENIED')).toBe('policy');
    // Harbor: immutable tags and project policies are 412 (src/lib/http/error.go).
    expect(classify(412, 'PRECONDITION')).toBe('policy');
    expect(classify(412, 'PROJECTPOLICYVIOLATION')).toBe('policy');
    expect(classify(404)).toBe('not-found');
    expect(classify(429)).toBe('throttled');
    expect(classify(503)).toBe('server');
    const sameText = 'exceed the configured upper limit';
    expect(
      new RemoteError({ service: 'Harbor', operation: 'x', status: 403, code: 'FORBIDDEN', remoteMessage: sameText })
        .kind,
    ).toBe('permission');
  });

  it('reads the code and message of Harbor, OCI and ARM bodies', () => {
    expect(parseRemoteBody('{"errors":[{"code":"DENIED","message":"quota"}]}')).toEqual({
      code: 'DENIED',
      message: 'quota',
    });
    expect(parseRemoteBody('{"error":{"code":"AuthorizationFailed","message":"no"}}')).toEqual({
      code: 'AuthorizationFailed',
      message: 'no',
    });
    expect(parseRemoteBody('bad gateway\nmore')).toEqual({ message: 'bad gateway' });
    expect(parseRemoteBody('')).toEqual({});
  });

  it('makes the words from the fields, and with() adds context without editing text', () => {
    const denied = new RemoteError({
      service: 'Harbor',
      operation: 'listing registries',
      status: 403,
      code: 'FORBIDDEN',
      remoteMessage: 'forbidden',
      account: 'dev',
    });
    expect(denied.message).toBe(
      'Harbor denied listing registries for dev (403: FORBIDDEN: forbidden); the account lacks the permission',
    );
    const explained = denied.with({ advice: 'use a system robot' });
    expect(explained.message).toBe(
      'Harbor denied listing registries for dev (403: FORBIDDEN: forbidden); use a system robot',
    );
    expect(explained).toMatchObject({ kind: 'permission', status: 403, code: 'FORBIDDEN', account: 'dev' });
    const quota = new RemoteError({
      service: 'Registry',
      operation: 'push of a layer',
      status: 403,
      code: 'DENIED',
      remoteMessage: 'quota',
    });
    expect(quota.message).toBe(
      "Registry refused push of a layer by policy (403: DENIED: quota); a quota or read-only rule, not a missing role: the project's storage quota is full (free space or raise the quota) or the registry is read-only",
    );
    const immutable = new RemoteError({
      service: 'Registry',
      operation: 'push of manifest v1',
      status: 412,
      code: 'PRECONDITION',
    });
    expect(immutable.message).toMatch(
      /^Registry refused push of manifest v1 by policy \(412: PRECONDITION\); a project rule, not a missing role: an immutable tag cannot be overwritten/,
    );
    expect(new RemoteError({ service: 'Harbor', operation: 'x', status: 502 }).retryable).toBe(true);
    expect(new RemoteError({ service: 'Harbor', operation: 'x', status: 403 }).retryable).toBe(false);
  });
});
