import { checkRepository, checkTag, tagForChartVersion } from '../../shared/oci/reference';

describe('OCI names', () => {
  it('accepts tags by the distribution-spec rule and names the input and the rule otherwise', () => {
    for (const tag of ['latest', 'v1.2.3', '1.0_rc-1', '_x', 'A'.repeat(128)]) expect(checkTag(tag, 'tags')).toBe(tag);
    for (const tag of ['-x', '.x', 'a:b', 'a/b', 'A'.repeat(129), 'ü']) {
      expect(() => checkTag(tag, 'tags')).toThrow(
        `Input 'tags': '${tag}' is not a valid tag (OCI tags are up to 128 characters of letters, digits, _ . -, not starting with . or -)`,
      );
    }
  });

  it('accepts repository paths and refuses upper case, empty components and leading separators', () => {
    for (const name of ['app', 'team/web/api', 'a.b_c__d--e', 'x1/y-2'])
      expect(checkRepository(name, 'repository')).toBe(name);
    for (const name of ['App', 'team//web', '/web', 'web/', '-web', 'a___b', 'a b'])
      expect(() => checkRepository(name, 'repository')).toThrow(
        /^Input 'repository': '.*' is not a valid repository name/,
      );
  });

  it('chart versions with build metadata become tags as Helm writes them', () => {
    expect(tagForChartVersion('1.2.3+build.4')).toBe('1.2.3_build.4');
  });
});
