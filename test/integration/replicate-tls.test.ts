import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { RegistryHandle, startRegistry } from '../sandbox/registry-launcher';
import { harborAccess, seedImage } from '../sandbox/seed';
import { harborInputs, runReplicate } from './replicate-setup';

// Harbor behind TLS signed by a private CA, as most on-premises Harbors are: ca-file and insecure must reach every
// call of the step (lookups, ping, policy, start, polls, tasks), not only the first.
let harbor: HarborEmulator;
let target: RegistryHandle;

beforeAll(async () => {
  [harbor, target] = await Promise.all([
    startHarborEmulator({ projects: [{ name: 'app' }], tls: true }),
    startRegistry({ auth: 'htpasswd' }),
  ]);
  await seedImage({ ...harborAccess(harbor), caFile: harbor.caFile }, 'app/web', '1.0');
});

afterAll(async () => {
  await harbor?.stop();
  await target?.stop();
});

const policy = (name: string) => ({
  ...harborInputs(harbor),
  'registry-name': 'replica',
  'registry-type': 'docker-registry',
  'registry-url': target.url,
  'registry-username': target.users[0].username,
  'registry-password': target.users[0].password,
  'policy-name': name,
  direction: 'push',
  'name-filter': 'app/**',
});

describe('replicate against a Harbor with a private CA', () => {
  it('refuses a certificate it cannot verify, in one line, before anything is written', async () => {
    harbor.clearRequests();
    const p = await runReplicate(policy('tls-refused'));
    expect(p.result?.result).toBe('failed');
    expect(p.result?.message).toMatch(
      /TLS verification of 127\.0\.0\.1:\d+ failed \(\w+\); set ca-file to the PEM file of its CA/,
    );
    expect(harbor.requests({ method: 'POST' })).toHaveLength(0);
  });

  it('trusts the CA in ca-file for the whole run', async () => {
    const p = await runReplicate({ ...policy('tls-ca'), 'ca-file': harbor.caFile! });
    expect(p.result).toEqual({ result: 'succeeded', message: undefined });
    expect(p.outputs).toMatchObject({ total: '1', succeeded: '1', failed: '0' });
  });

  it('insecure skips verification for the whole run', async () => {
    const p = await runReplicate({ ...policy('tls-insecure'), insecure: 'true' });
    expect(p.result?.result).toBe('succeeded');
    expect(p.outputs).toMatchObject({ total: '1', succeeded: '1' });
  });
});
