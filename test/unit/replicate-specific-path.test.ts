/**
 * Our reading of Harbor's src/pkg/reg/util/pattern.go IsSpecificPath (v2.15.2), checked against the cases of its own
 * pattern_test.go and the edge cases of IsSpecificPathComponent.
 */
import { specificPaths } from '../../shared/capabilities/replicate/specific-path';

describe('specificPaths (Harbor IsSpecificPath)', () => {
  it.each<[string, string[] | undefined]>([
    ['', undefined],
    ['library', ['library']],
    ['library/hello-world', ['library/hello-world']],
    ['library/**', undefined],
    ['{library}', ['library']],
    ['library/{hello-world,busybox}', ['library/hello-world', 'library/busybox']],
    ['{a,b}/{c,d}', ['a/c', 'a/d', 'b/c', 'b/d']],
    ['lib*', undefined],
    ['lib?', undefined],
    ['lib[ab]', undefined],
    ['lib^', undefined],
    ['lib\\x', undefined],
    ['a,b', undefined],
    ['}a{', undefined],
    ['{a,{b}}', undefined],
    ['pre{a,b}post', ['preapost', 'prebpost']],
    ['library//x', undefined],
  ])('%p → %p', (filter, expected) => expect(specificPaths(filter)).toEqual(expected));
});
