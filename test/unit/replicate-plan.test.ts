import { definition } from '../../shared/capabilities/replicate/definition';
import { validateHarborCron } from '../../shared/capabilities/replicate/cron';
import { checkEffectivePolicy, planFromSettings } from '../../shared/capabilities/replicate/plan';
import type { ReplicationPolicy } from '../../shared/harbor/replication';
import { readSettings } from '../../shared/inputs/parse';
import { FakePlatform } from '../support/fake-platform';

const harbor = { 'harbor-url': 'https://harbor.example.com', username: 'admin', password: 'pw' };

function plan(inputs: Record<string, string>) {
  const platform = new FakePlatform({ ...harbor, ...inputs });
  return planFromSettings(readSettings(definition, platform), platform);
}

function pushPolicy(overrides: Partial<ReplicationPolicy> = {}): ReplicationPolicy {
  return {
    id: 7,
    name: 'p',
    src_registry: { id: 0, name: 'Local' },
    dest_registry: { id: 3, name: 'acr', type: 'azure-acr' },
    filters: [{ type: 'name', value: 'app/**' }],
    trigger: { type: 'manual', trigger_settings: { cron: '' } },
    enabled: true,
    override: true,
    ...overrides,
  };
}

describe('replicate inputs', () => {
  it('only policy-name: the policy is used as it is', () => {
    const p = plan({ 'policy-name': 'p' });
    expect(p.ensurePolicy).toBe(false);
    expect(p.endpoint).toBeUndefined();
  });

  it('any policy field (or an endpoint) means the policy is ensured', () => {
    expect(plan({ 'policy-name': 'p', override: 'false' }).ensurePolicy).toBe(true);
    expect(plan({ 'policy-name': 'p', 'registry-name': 'acr' })).toMatchObject({
      ensurePolicy: true,
      endpoint: { mode: 'existing', name: 'acr' },
    });
  });

  it('policy booleans are tri-state: unset stays undefined, true/false are strict', () => {
    expect(plan({ 'policy-name': 'p', enabled: 'false' }).fields).toMatchObject({
      enabled: false,
      override: undefined,
      deletion: undefined,
    });
    expect(() => plan({ 'policy-name': 'p', override: 'yes' })).toThrow(
      "Input 'override' must be one of true, false (got 'yes')",
    );
  });

  it('maps flattening onto Harbor replace counts', () => {
    expect(plan({ 'policy-name': 'p', flattening: 'all' }).fields.replaceCount).toBe(-1);
    expect(plan({ 'policy-name': 'p', flattening: 'none' }).fields.replaceCount).toBe(0);
    expect(plan({ 'policy-name': 'p', flattening: '2' }).fields.replaceCount).toBe(2);
  });

  it('an endpoint URL needs a name and a type; endpoint fields need the URL', () => {
    expect(() =>
      plan({ 'policy-name': 'p', 'registry-url': 'https://r.example.com', 'registry-type': 'harbor' }),
    ).toThrow("Input 'registry-name' is required with 'registry-url'");
    expect(() => plan({ 'policy-name': 'p', 'registry-url': 'https://r.example.com', 'registry-name': 'r' })).toThrow(
      "Input 'registry-type' is required",
    );
    expect(() => plan({ 'policy-name': 'p', 'registry-name': 'r', 'registry-username': 'u' })).toThrow(
      "Input 'registry-username' is only used with 'registry-url', which is not set",
    );
    expect(() => plan({ 'policy-name': 'p', 'registry-type': 'acr' })).toThrow(
      "Input 'registry-type' must be one of harbor, docker-hub",
    );
  });

  it('cron only with scheduled, event_based only for push', () => {
    expect(() => plan({ 'policy-name': 'p', trigger: 'manual', cron: '0 0 2 * * *' })).toThrow(
      "Input 'cron' is only used with 'trigger' scheduled",
    );
    expect(() => plan({ 'policy-name': 'p', trigger: 'event_based', direction: 'pull' })).toThrow(
      'event_based works only for push policies',
    );
    expect(plan({ 'policy-name': 'p', trigger: 'scheduled', cron: '0  0 2 * * *' }).fields.cron).toBe('0 0 2 * * *');
  });

  it('names inputs as Azure DevOps spells them there', () => {
    const platform = new FakePlatform({
      ...harbor,
      'policy-name': 'p',
      'registry-url': 'https://r.example.com',
      'registry-type': 'harbor',
    });
    platform.inputName = (spec) => spec.name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    expect(() => planFromSettings(readSettings(definition, platform), platform)).toThrow(
      "Input 'registryName' is required with 'registryUrl'",
    );
  });
});

describe('Harbor cron', () => {
  it.each([
    ['0 0 2 * * *', '0 0 2 * * *'],
    ['0 */15 * * * *', '0 */15 * * * *'],
    ['0 0 2 ? * MON-FRI', '0 0 2 ? * MON-FRI'],
    ['0 0 2 * * */7', '0 0 2 * * */7'],
  ])('accepts %s', (cron, normalised) => expect(validateHarborCron(cron, 'cron')).toBe(normalised));

  it.each([
    [
      '0 2 * * *',
      "Input 'cron' has 5 fields; Harbor's cron has 6 with seconds first: use '0 0 2 * * *' (got '0 2 * * *')",
    ],
    ['@daily', "Harbor does not accept descriptors such as '@daily'"],
    ['30 0 2 * * *', "must start with 0: Harbor runs replication schedules at whole minutes only (got seconds '30')"],
    ['0 0 25 * * *', "Input 'cron' is not a valid cron expression: Constraint error, got value 25 expected range 0-23"],
    ['0 0 2 L * *', 'uses L, W or #'],
    ['0 0 2 * * 1 2', 'must have 6 fields'],
    // Harbor's Policy.Validate refuses '*' in the minutes field (src/controller/replication/model/model.go).
    [
      '0 * 2 * * *',
      "Input 'cron': Harbor refuses '*' in the minutes field; name the minutes, e.g. '0 0 2 * * *' (at :00) or '0 */5 2 * * *' (every 5 minutes) (got '0 * 2 * * *')",
    ],
    ['* * * * *', "use '0 0 * * * *' (hourly: Harbor refuses '*' in the minutes field)"],
    // robfig/cron v3 (src/common/utils/utils.go CronParser) takes 0-6; cron-parser would take 7 as Sunday.
    ['0 0 2 * * 7', "Harbor's scheduler numbers the days of the week 0-6 (Sunday is 0, or write SUN); 7 is refused"],
    ['0 0 2 * * 1-7', '7 is refused'],
  ])('refuses %s', (cron, message) => expect(() => validateHarborCron(cron, 'cron')).toThrow(message));
});

describe('checks on the merged policy', () => {
  const platform = new FakePlatform();

  it('refuses a push to ACR without a name filter, before anything is written', () => {
    const p = plan({ 'policy-name': 'p', direction: 'push', 'registry-name': 'acr' });
    expect(() => checkEffectivePolicy(p, undefined, { name: 'acr', type: 'azure-acr' }, platform)).toThrow(
      /Push policy 'p' to ACR endpoint 'acr' needs 'name-filter': an ACR token can push only to the repositories its scope map names/,
    );
    // `**` is no filter either.
    const all = plan({ 'policy-name': 'p', direction: 'push', 'registry-name': 'acr', 'name-filter': '**' });
    expect(() => checkEffectivePolicy(all, undefined, { name: 'acr', type: 'azure-acr' }, platform)).toThrow(
      /needs 'name-filter'/,
    );
  });

  it('an existing ACR policy keeps its name filter when other fields change', () => {
    const p = plan({ 'policy-name': 'p', override: 'false' });
    expect(checkEffectivePolicy(p, pushPolicy(), { name: 'acr', type: 'azure-acr' }, platform)).toEqual([]);
  });

  // Harbor lists the ACR catalog unless the filter is an exact path (src/pkg/reg/util/pattern.go IsSpecificPath), and
  // ACR refuses the catalog to repository-scoped tokens.
  it.each([[''], ['**'], ['shop/**'], ['shop/web*'], ['shop/we?'], ['shop/[ab]pp'], ['shop/{a,b}/{c,d}x{e}']])(
    'refuses a pull from ACR as a token with the non-exact name filter %p, suggesting {a,b}',
    (filter) => {
      const p = plan({
        'policy-name': 'p',
        direction: 'pull',
        'registry-name': 'acr',
        ...(filter ? { 'name-filter': filter } : {}),
      });
      expect(() =>
        checkEffectivePolicy(
          p,
          undefined,
          { name: 'acr', type: 'azure-acr', username: 'harbor-replication', url: 'https://contoso.azurecr.io' },
          platform,
        ),
      ).toThrow(
        /^Pull policy 'p' from ACR endpoint 'acr': .*so Harbor would list the registry catalog, which ACR refuses to token harbor-replication; name the repositories exactly, e\.g\. '.*\{app,api\}'/,
      );
    },
  );

  it.each([['shop/web'], ['shop/{web,api}'], ['{shop,team}/web'], ['shop/web-{1,2}']])(
    'accepts the exact name filter %p for a pull from ACR as a token',
    (filter) => {
      const p = plan({ 'policy-name': 'p', direction: 'pull', 'registry-name': 'acr', 'name-filter': filter });
      expect(
        checkEffectivePolicy(
          p,
          undefined,
          { name: 'acr', type: 'azure-acr', username: 'harbor-replication', url: 'https://contoso.azurecr.io' },
          platform,
        ),
      ).toEqual([]);
    },
  );

  it('lets the ACR admin user list the catalog, and only warns when the account is a service principal or unknown', () => {
    const p = plan({ 'policy-name': 'p', direction: 'pull', 'registry-name': 'acr', 'name-filter': 'shop/**' });
    expect(
      checkEffectivePolicy(
        p,
        undefined,
        { name: 'acr', type: 'azure-acr', username: 'contoso', url: 'https://contoso.azurecr.io' },
        platform,
      ),
    ).toEqual([]);
    const warned = [
      expect.stringMatching(
        /Harbor lists the registry catalog; that works only for the admin user or an identity allowed to list it, never for an ACR token: name the repositories exactly, e\.g\. 'shop\/\{app,api\}'/,
      ),
    ];
    expect(
      checkEffectivePolicy(
        p,
        undefined,
        {
          name: 'acr',
          type: 'azure-acr',
          username: '11111111-aaaa-4bbb-8ccc-000000000001',
          url: 'https://contoso.azurecr.io',
        },
        platform,
      ),
    ).toEqual(warned);
    expect(checkEffectivePolicy(p, undefined, { name: 'acr', type: 'azure-acr' }, platform)).toEqual(warned);
  });

  it('hints at library/ for a Docker Hub pull filter without namespace', () => {
    const p = plan({ 'policy-name': 'p', direction: 'pull', 'registry-name': 'hub', 'name-filter': 'nginx' });
    expect(checkEffectivePolicy(p, undefined, { name: 'hub', type: 'docker-hub' }, platform)).toEqual([
      expect.stringContaining("e.g. 'library/nginx'"),
    ]);
  });

  it('refuses event_based on an existing pull policy', () => {
    const pull = pushPolicy({ src_registry: { id: 3, name: 'hub' }, dest_registry: { id: 0, name: 'Local' } });
    const p = plan({ 'policy-name': 'p', trigger: 'event_based' });
    expect(() => checkEffectivePolicy(p, pull, { name: 'hub', type: 'docker-hub' }, platform)).toThrow(
      "policy 'p' pulls",
    );
  });

  it('scheduled needs a cron, new policies need a direction and an endpoint', () => {
    expect(() =>
      checkEffectivePolicy(plan({ 'policy-name': 'p', trigger: 'scheduled' }), pushPolicy(), undefined, platform),
    ).toThrow("Input 'cron' is required");
    expect(() =>
      checkEffectivePolicy(plan({ 'policy-name': 'p', 'name-filter': 'a/**' }), undefined, { name: 'r' }, platform),
    ).toThrow("Replication policy 'p' does not exist yet; set 'direction'");
    expect(() =>
      checkEffectivePolicy(plan({ 'policy-name': 'p', direction: 'push' }), undefined, undefined, platform),
    ).toThrow("set 'registry-name'");
    expect(() => checkEffectivePolicy(plan({ 'policy-name': 'p' }), undefined, undefined, platform)).toThrow(
      "Replication policy 'p' does not exist in Harbor; give 'direction' and 'registry-name'",
    );
  });
});
