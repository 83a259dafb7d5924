import { InputError } from '../../shared/errors';
import { chooseLayout, listsAsSignature, parseHarborVersion } from '../../shared/capabilities/sign/layout';

const opts = { verifyInHarbor: true, layoutLabel: 'layout', verifyLabel: 'verify-in-harbor' };
const v = (text: string) => parseHarborVersion(text)!;

describe('parseHarborVersion', () => {
  it("reads systeminfo's <ReleaseVersion>-<GitCommit>, and nothing that is not a release", () => {
    expect(parseHarborVersion('v2.15.2-080b0220')).toEqual({ major: 2, minor: 15, patch: 2, text: 'v2.15.2-080b0220' });
    expect(parseHarborVersion('v2.9.0')).toMatchObject({ major: 2, minor: 9, patch: 0 });
    expect(parseHarborVersion('dev-legacy-1a2b3c4d')).toBeUndefined();
    expect(parseHarborVersion('v2.15')).toBeUndefined();
    expect(parseHarborVersion('v2.15.2x')).toBeUndefined();
    expect(parseHarborVersion(undefined)).toBeUndefined();
    // Quoted in the log: a value carrying anything after the release is not a release.
    expect(parseHarborVersion('v2.15.2-080b0220\n::error::PWNED')).toBeUndefined();
    expect(parseHarborVersion('v2.15.2 ##vso[task.complete result=Succeeded;]')).toBeUndefined();
  });
});

describe('which layouts a Harbor release lists as signature.cosign', () => {
  it('.sig tags from 2.5 (cosign middleware), referrers from 2.11 (subject middleware)', () => {
    expect(listsAsSignature(v('v2.4.3-x'), 'tag')).toBe(false);
    expect(listsAsSignature(v('v2.5.0-x'), 'tag')).toBe(true);
    expect(listsAsSignature(v('v2.15.2-x'), 'tag')).toBe(true);
    expect(listsAsSignature(v('v2.10.3-x'), 'referrer')).toBe(false);
    expect(listsAsSignature(v('v2.11.0-x'), 'referrer')).toBe(true);
    expect(listsAsSignature(v('v3.0.0-x'), 'referrer')).toBe(true);
  });
});

describe('chooseLayout', () => {
  it('auto: the .sig tag on every release; the referrer fallback only where Harbor lists referrers as signatures', () => {
    expect(chooseLayout('auto', v('v2.15.2-080b0220'), opts)).toMatchObject({ layout: 'tag', referrerFallback: true });
    expect(chooseLayout('auto', v('v2.11.0-x'), opts)).toMatchObject({ layout: 'tag', referrerFallback: true });
    const old = chooseLayout('auto', v('v2.10.3-x'), opts);
    expect(old).toMatchObject({ layout: 'tag', referrerFallback: false });
    expect(old.reason).toContain('lists only the .sig tag layout');
  });

  it('auto with the version not shown: the .sig tag, no fallback, and the reason says the version is unknown', () => {
    const choice = chooseLayout('auto', undefined, opts);
    expect(choice).toMatchObject({ layout: 'tag', referrerFallback: false });
    expect(choice.reason).toMatch(/version is not known/);
  });

  it('auto before Harbor 2.5 refuses while verify-in-harbor is on, and signs with it off', () => {
    expect(() => chooseLayout('auto', v('v2.4.0-x'), opts)).toThrow(InputError);
    expect(() => chooseLayout('auto', v('v2.4.0-x'), opts)).toThrow(/set 'verify-in-harbor' to false/);
    expect(chooseLayout('auto', v('v2.4.0-x'), { ...opts, verifyInHarbor: false }).layout).toBe('tag');
  });

  it('an explicit referrer on Harbor 2.10 is refused naming the input, unless the listing is not checked', () => {
    expect(() => chooseLayout('referrer', v('v2.10.3-x'), { ...opts, layoutLabel: 'Layout' })).toThrow(
      /^Input 'Layout': Harbor v2\.10\.3-x does not list a cosign signature in the referrer layout as signature\.cosign/,
    );
    expect(chooseLayout('referrer', v('v2.10.3-x'), { ...opts, verifyInHarbor: false })).toMatchObject({
      layout: 'referrer',
      referrerFallback: false,
    });
    expect(chooseLayout('referrer', v('v2.11.0-x'), opts).layout).toBe('referrer');
    expect(chooseLayout('referrer', undefined, opts).layout).toBe('referrer');
    expect(chooseLayout('tag', v('v2.15.2-x'), opts)).toMatchObject({ layout: 'tag', referrerFallback: false });
  });
});
