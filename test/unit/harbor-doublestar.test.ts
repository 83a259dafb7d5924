import { doublestarMatch as emulator } from '../sandbox/harbor-doublestar';
import { doublestarMatch as product } from '../../shared/harbor/filters';

// The emulator's matcher is written separately from the product's; both must agree with doublestar v1's rules
// (Harbor's src/pkg/reg/util/pattern.go), checked here on the cases replication filters use.
const cases: Array<[string, string, boolean]> = [
  ['library/**', 'library/app', true],
  ['library/**', 'library/team/app', true],
  ['library/*', 'library/team/app', false],
  ['library/*', 'library/app', true],
  ['**', 'a/b/c', true],
  ['*', '', true],
  ['*', 'a/b', false],
  ['v1.*', 'v1.2', true],
  ['v1.?', 'v1.22', false],
  ['{v1,v2}*', 'v2.0', true],
  ['{v1,v2}*', 'v3.0', false],
  ['app-[0-9]', 'app-7', true],
  ['app-[^0-9]', 'app-7', false],
  ['team/**/api', 'team/api', true],
  ['team/**/api', 'team/x/y/api', true],
  ['team/**/api', 'team/x/y/web', false],
  ['{other/x,library/app}', 'library/app', true],
  ['{other/x,library/app}', 'library/web', false],
];

describe("the emulator's doublestar matcher", () => {
  it.each(cases)('%s vs %s → %s', (pattern, name, expected) => {
    expect(emulator(pattern, name)).toBe(expected);
    expect(product(pattern, name)).toBe(expected);
  });
});
