import { InputError } from '../../shared/errors';
import { defineCapability } from '../../shared/inputs/definition';
import { parseDuration, parseSize, readSettings } from '../../shared/inputs/parse';
import { FakePlatform } from '../support/fake-platform';

const definition = defineCapability({
  id: 'sample',
  taskName: 'Sample',
  friendlyName: 'Sample',
  description: 'sample',
  category: 'Utility',
  version: { major: 1, minor: 0, patch: 0 },
  taskId: '00000000-0000-4000-8000-000000000002',
  branding: { icon: 'anchor', color: 'blue' },
  inputs: {
    'harbor-url': { name: 'harbor-url', type: 'url', required: true, description: 'Harbor' },
    password: { name: 'password', type: 'secret', description: 'secret' },
    insecure: { name: 'insecure', type: 'boolean', default: 'false', description: 'tls' },
    scan: {
      name: 'scan',
      type: 'choice',
      options: ['if-missing', 'always', 'never'],
      default: 'if-missing',
      description: 'scan',
    },
    tags: { name: 'tags', type: 'list', default: 'latest', description: 'tags' },
    repositories: { name: 'repositories', type: 'lines', description: 'repos' },
    concurrency: { name: 'concurrency', type: 'integer', default: '4', min: 1, max: 32, description: 'n' },
    timeout: { name: 'timeout', type: 'duration', default: '10m', description: 't' },
    'chunk-size': { name: 'chunk-size', type: 'size', default: '16MiB', description: 's' },
    'ado-only': { name: 'ado-only', type: 'string', platforms: ['azure-devops'], description: 'x' },
  },
  outputs: [],
});

function read(inputs: Record<string, string>) {
  const platform = new FakePlatform(inputs);
  return { platform, settings: readSettings(definition, platform) };
}

describe('readSettings', () => {
  it('parses every type into the typed settings object with defaults', () => {
    const { settings } = read({
      'harbor-url': 'https://harbor.example.com/',
      tags: 'v1, latest\nsha-abc',
      repositories: 'app: content/read,content/write\n# comment\nlib: metadata/read',
      timeout: '1h30m',
    });
    expect(settings).toEqual({
      harborUrl: 'https://harbor.example.com',
      insecure: false,
      scan: 'if-missing',
      tags: ['v1', 'latest', 'sha-abc'],
      repositories: ['app: content/read,content/write', 'lib: metadata/read'],
      concurrency: 4,
      timeout: 5_400_000,
      chunkSize: 16 * 1024 * 1024,
      adoOnly: undefined,
    });
    expect(settings.adoOnly).toBeUndefined();
  });

  it('registers a secret input for masking as soon as it is read', () => {
    const { platform } = read({ 'harbor-url': 'http://h', password: 's3cret' });
    expect([...platform.secrets]).toEqual(['s3cret']);
  });

  it.each([
    [{}, 'Input required and not supplied: harbor-url'],
    [
      { 'harbor-url': 'harbor.example.com' },
      "Input 'harbor-url' must be an absolute URL like http://host[:port] (got 'harbor.example.com')",
    ],
    [
      { 'harbor-url': 'https://admin:pw@h' },
      "Input 'harbor-url' must not contain credentials; use the username and password inputs",
    ],
    [{ 'harbor-url': 'http://h', insecure: 'yes' }, "Input 'insecure' must be true or false (got 'yes')"],
    [
      { 'harbor-url': 'http://h', scan: 'sometimes' },
      "Input 'scan' must be one of if-missing, always, never (got 'sometimes')",
    ],
    [{ 'harbor-url': 'http://h', concurrency: '0' }, "Input 'concurrency' must be >= 1 and <= 32 (got 0)"],
    [{ 'harbor-url': 'http://h', concurrency: '2.5' }, "Input 'concurrency' must be a whole number (got '2.5')"],
    [
      { 'harbor-url': 'http://h', 'chunk-size': '12 parsecs' },
      "Input 'chunk-size' must be a size like 512KiB, 10MB or 1GiB (got '12 parsecs')",
    ],
  ])('%j → %s', (inputs, message) => {
    expect(() => read(inputs)).toThrow(new InputError(message));
  });

  it('accepts booleans and choices case-insensitively but nothing else', () => {
    expect(read({ 'harbor-url': 'http://h', insecure: 'TRUE', scan: 'Always' }).settings).toMatchObject({
      insecure: true,
      scan: 'always',
    });
  });
});

describe('durations and sizes', () => {
  it.each([
    ['90', 90_000],
    ['30s', 30_000],
    ['250ms', 250],
    ['2d', 172_800_000],
    ['1h1m1s', 3_661_000],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text, 'x')).toBe(ms));
  it.each(['', '5 m', 'm5', '1y', '-1s'])('%j is refused', (text) =>
    expect(() => parseDuration(text, 'x')).toThrow(InputError),
  );
  it.each([
    ['1024', 1024],
    ['512KiB', 524_288],
    ['10MB', 10_000_000],
    ['1GiB', 1_073_741_824],
    ['1.5k', 1536],
  ])('%s → %d bytes', (text, bytes) => expect(parseSize(text, 'x')).toBe(bytes));
});
