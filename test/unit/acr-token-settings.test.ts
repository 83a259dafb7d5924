import { parseRepositoryLines, sameActions } from '../../shared/azure/scope-map';
import { passwordExpiry } from '../../shared/capabilities/acr-token/settings';

describe('repositories → scope-map actions', () => {
  it('a bare repository gets read, write and metadata/read; listed actions are taken as written, deduplicated and sorted', () => {
    expect(
      parseRepositoryLines(['shop/web', 'shop/web: content/read', 'base/*: metadata/read content/DELETE']),
    ).toEqual([
      'repositories/base/*/content/delete',
      'repositories/base/*/metadata/read',
      'repositories/shop/web/content/read',
      'repositories/shop/web/content/write',
      'repositories/shop/web/metadata/read',
    ]);
  });

  it.each([['Shop/Web'], ['shop//web'], ['-shop'], ['shop web']])('rejects the repository name %j', (line) => {
    expect(() => parseRepositoryLines([line])).toThrow(/is not a repository name/);
  });

  it('a colon with no actions means the default actions', () => {
    expect(parseRepositoryLines(['shop/web:'])).toEqual(parseRepositoryLines(['shop/web']));
  });

  it('compares action sets without regard to order or case', () => {
    expect(
      sameActions(
        ['repositories/a/content/read', 'repositories/B/metadata/read'],
        ['repositories/b/metadata/read', 'repositories/a/content/read'],
      ),
    ).toBe(true);
    expect(
      sameActions(['repositories/a/content/read'], ['repositories/a/content/read', 'repositories/a/content/write']),
    ).toBe(false);
  });
});

describe('password-expiry', () => {
  const now = Date.parse('2026-11-26T12:00:00Z');
  it.each([
    ['30d', '2026-12-26T12:00:00.000Z'],
    ['12h', '2026-11-27T00:00:00.000Z'],
    ['2026-12-31', '2026-12-31T00:00:00.000Z'],
    ['2027-01-15T08:30:00+01:00', '2027-01-15T07:30:00.000Z'],
  ])('%s → %s', (text, iso) => {
    expect(passwordExpiry(text, 'password-expiry', now)).toBe(iso);
  });

  it('never means no expiry', () => {
    expect(passwordExpiry('Never', 'password-expiry', now)).toBeUndefined();
  });

  it('rejects impossible dates', () => {
    expect(() => passwordExpiry('2026-13-45', 'passwordExpiry', now)).toThrow(
      "Input 'passwordExpiry' is not a valid ISO date (got '2026-13-45')",
    );
  });
});
