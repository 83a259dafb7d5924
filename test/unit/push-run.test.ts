import { runCapability } from '../../shared/capability';
import push from '../../shared/capabilities/push';
import { makeImage } from '../sandbox/make-image';
import { FakePlatform } from '../support/fake-platform';

// Input validation of the push step: every mistake is one line naming the input, found before any network call
// (the URL points at a closed port, so a request would fail with a different message).

const base = {
  'harbor-url': 'http://127.0.0.1:1',
  username: 'ci',
  password: 'pw-never-shown',
  project: 'team',
  repository: 'web',
};

async function failure(inputs: Record<string, string>): Promise<string | undefined> {
  const platform = new FakePlatform({ ...base, ...inputs });
  await runCapability(push, platform);
  expect(platform.result?.result).toBe('failed');
  expect(platform.transcript).not.toContain('pw-never-shown');
  return platform.result?.message;
}

describe('push inputs', () => {
  let layout: string;
  beforeAll(() => {
    layout = `oci:${makeImage().dir}`;
  });

  it.each([
    [
      { source: 'tarball:x' },
      "Input 'source' must be oci:<dir>[:<ref>], docker-archive:<file>[:<image>], docker:<image> or chart:<file.tgz> (got 'tarball:x')",
    ],
    [
      { source: 'oci:' },
      "Input 'source' must be oci:<dir>[:<ref>], docker-archive:<file>[:<image>], docker:<image> or chart:<file.tgz> (got 'oci:')",
    ],
    [
      { tags: 'v1\nbad tag' },
      "Input 'tags': 'bad tag' is not a valid tag (OCI tags are up to 128 characters of letters, digits, _ . -, not starting with . or -)",
    ],
    [
      { project: 'Team' },
      "Input 'project': 'Team' is not a valid Harbor project name (lower-case letters, digits and . _ - inside)",
    ],
    [{ project: '' }, "Input 'project' is required when create-project is true"],
    [
      { repository: 'Web' },
      "Input 'repository': 'team/Web' is not a valid repository name (lower-case letters and digits, separated by . _ __ - or /)",
    ],
    [{ repository: '' }, 'Input required and not supplied: repository'],
    [
      { 'mount-from': 'lib/base, Bad' },
      "Input 'mount-from': 'Bad' is not a valid repository name (lower-case letters and digits, separated by . _ __ - or /)",
    ],
    [{ 'chunk-size': '512KiB' }, "Input 'chunk-size' must be at least 1MiB (got 524288 bytes)"],
    [{ concurrency: '0' }, "Input 'concurrency' must be >= 1 and <= 16 (got 0)"],
    [{ compression: 'zstd' }, "Input 'compression' must be one of auto, gzip, none (got 'zstd')"],
    [{ 'harbor-url': 'ftp://harbor' }, "Input 'harbor-url' must use http:// or https:// (got 'ftp://')"],
  ])('%o', async (inputs, message) => {
    expect(await failure({ source: layout, ...inputs })).toBe(message);
  });

  it('a source that does not exist is named before the registry is contacted', async () => {
    expect(await failure({ source: 'docker-archive:/nonexistent/image.tar' })).toBe(
      "Input 'source': Archive /nonexistent/image.tar does not exist",
    );
  });

  it('with valid inputs the first failure is the unreachable registry: host:port and cause', async () => {
    expect(await failure({ source: layout, 'create-project': 'false' })).toBe(
      'GET http://127.0.0.1:1/v2/ failed: cannot connect to 127.0.0.1:1 (connection refused)',
    );
  });
});
