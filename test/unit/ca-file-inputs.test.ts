/** A CA file that cannot be read is bad input: the one line names the input it came from, on every step that has one. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCapability, type Capability } from '../../shared/capability';
import acrImport from '../../shared/capabilities/acr-import';
import push from '../../shared/capabilities/push';
import replicate from '../../shared/capabilities/replicate';
import trivyGate from '../../shared/capabilities/trivy-gate';
import { makeImage } from '../sandbox/make-image';
import { FakePlatform } from '../support/fake-platform';

const workspace = mkdtempSync(join(tmpdir(), 'ca-file-'));
const image = makeImage({ dir: join(workspace, 'image') });
const harbor = {
  'harbor-url': 'https://127.0.0.1:1',
  username: 'admin',
  // Masked in every line: a secret no temp directory's random name can contain (mkdtemp uses no '-').
  password: 'Ca-File-Pw-7731',
  'ca-file': 'certs/missing-ca.pem',
};

it.each<[string, Capability, Record<string, string>]>([
  ['push', push as unknown as Capability, { ...harbor, project: 'p', repository: 'r', source: `oci:${image.dir}` }],
  ['trivy-gate', trivyGate as unknown as Capability, { ...harbor, project: 'p', repository: 'r', reference: 'v1' }],
  ['replicate', replicate as unknown as Capability, { ...harbor, 'policy-name': 'p' }],
  [
    'acr-import',
    acrImport as unknown as Capability,
    { ...harbor, images: 'shop/web:1.0', 'resource-group': 'rg', registry: 'contosoregistry' },
  ],
])('%s names the ca-file input', async (_name, capability, inputs) => {
  const platform = new FakePlatform(inputs, workspace);
  await runCapability(capability, platform);
  expect(platform.result).toEqual({
    result: 'failed',
    message: `Cannot read CA file ${join(workspace, 'certs/missing-ca.pem')} (input 'ca-file'): ENOENT`,
  });
});
