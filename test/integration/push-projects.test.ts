import { HarborClient } from '../../shared/harbor/client';
import { RemoteError } from '../../shared/remote-error';
import { ensureProject, isValidProjectName, projectExists } from '../../shared/harbor/projects';
import { HttpClient } from '../../shared/http/client';
import { HarborEmulator, startHarborEmulator } from '../sandbox/harbor-emulator';
import { useContractCheck } from '../sandbox/jest-helpers';

// ensureProject against the Harbor emulator (Harbor's swagger checked on every exchange).

let harbor: HarborEmulator;
const http = new HttpClient({ retry: { attempts: 1 } });

beforeAll(async () => {
  harbor = await startHarborEmulator({ projects: [{ name: 'existing' }] });
}, 20_000);
afterAll(async () => {
  await harbor?.stop();
  await http.close();
});
useContractCheck(() => [harbor]);

const admin = () => new HarborClient(harbor.url, harbor.admin, http);

describe('ensureProject', () => {
  it('leaves an existing project alone and creates a missing one with the requested visibility', async () => {
    expect(await ensureProject(admin(), 'existing', { public: true })).toBe('exists');
    expect(await ensureProject(admin(), 'fresh-public', { public: true })).toBe('created');
    const project = await admin().json<{ metadata: { public: string } }>('GET', '/projects/fresh-public', {
      headers: { 'X-Is-Resource-Name': 'true' },
    });
    expect(project.metadata.public).toBe('true');
    expect(await projectExists(admin(), 'fresh-public')).toBe(true);
  });

  it('two pipelines creating the same project at once both succeed (409 is success)', async () => {
    const results = await Promise.all([
      ensureProject(admin(), 'raced', { public: false }),
      ensureProject(admin(), 'raced', { public: false }),
    ]);
    expect(results.sort()).toEqual(['created', 'exists']);
  });

  it('an account that may not create projects gets a line saying to create it first', async () => {
    const robot = harbor.addRobot({ name: 'ci', level: 'project', project: 'existing', permissions: ['push', 'pull'] });
    const error = await ensureProject(new HarborClient(harbor.url, robot, http), 'brand-new', { public: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as Error).message).toMatch(
      /^Harbor denied create project brand-new for robot\$existing\+ci \(403: FORBIDDEN: .*\); project brand-new does not exist and only admins may create projects when creation is restricted; create the project first$/,
    );
  });

  it('a wrong password is Harbor’s authentication error', async () => {
    await expect(
      ensureProject(new HarborClient(harbor.url, { username: 'admin', password: 'nope' }, http), 'x', {
        public: false,
      }),
    ).rejects.toThrow(/^Harbor authentication failed for admin/);
  });

  it('project names follow Harbor’s rule', () => {
    expect(['app', 'a.b-c_d', '9x'].every(isValidProjectName)).toBe(true);
    expect(['App', '-a', 'a-', 'a..b', ''].some(isValidProjectName)).toBe(false);
  });
});
