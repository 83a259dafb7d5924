import {
  applyAssignment,
  diffValues,
  mergeValues,
  parseSetAssignment,
  valuesDigest,
  type Values,
} from '../../shared/helm/values';
import { pinnedChartValues, suggestPath } from '../../shared/helm/chart-values';

describe('helm values helpers', () => {
  it('parses --set assignments with helm typing', () => {
    expect(parseSetAssignment('core.replicas=3')).toEqual({ path: ['core', 'replicas'], value: 3 });
    expect(parseSetAssignment('trivy.enabled=false')).toEqual({ path: ['trivy', 'enabled'], value: false });
    expect(parseSetAssignment('database.external.port=05432')).toEqual({
      path: ['database', 'external', 'port'],
      value: '05432',
    });
    expect(parseSetAssignment('a.b=1.5')).toEqual({ path: ['a', 'b'], value: '1.5' });
    expect(parseSetAssignment('x=null')).toEqual({ path: ['x'], value: null });
    expect(parseSetAssignment('password=a=b')).toEqual({ path: ['password'], value: 'a=b' });
    expect(
      parseSetAssignment('expose.ingress.annotations.nginx\\.ingress\\.kubernetes\\.io/proxy-body-size=0'),
    ).toEqual({
      path: ['expose', 'ingress', 'annotations', 'nginx.ingress.kubernetes.io/proxy-body-size'],
      value: 0,
    });
    expect(parseSetAssignment('novalue')).toBeUndefined();
    expect(parseSetAssignment('=x')).toBeUndefined();
    expect(parseSetAssignment('a..b=x')).toBeUndefined();
  });

  it('applies list indexes like helm', () => {
    const values: Values = {};
    applyAssignment(values, ['jobservice', 'jobLoggers[0]'], 'database');
    applyAssignment(values, ['core', 'extraEnvVars[1]', 'name'], 'X');
    expect(values).toEqual({
      jobservice: { jobLoggers: ['database'] },
      core: { extraEnvVars: [undefined, { name: 'X' }] },
    });
  });

  it('merges maps key by key and replaces lists, leaving the inputs alone', () => {
    const a: Values = { expose: { type: 'ingress', ingress: { hosts: { core: 'a' } } }, list: [1, 2] };
    const b: Values = { expose: { ingress: { className: 'nginx' } }, list: [3] };
    expect(mergeValues(a, b)).toEqual({
      expose: { type: 'ingress', ingress: { hosts: { core: 'a' }, className: 'nginx' } },
      list: [3],
    });
    expect(a).toEqual({ expose: { type: 'ingress', ingress: { hosts: { core: 'a' } } }, list: [1, 2] });
  });

  it('digests values independently of key order, and differently for different values', () => {
    expect(valuesDigest({ a: 1, b: { c: 2, d: 3 } })).toBe(valuesDigest({ b: { d: 3, c: 2 }, a: 1 }));
    expect(valuesDigest({ a: 1 })).not.toBe(valuesDigest({ a: 2 }));
    expect(valuesDigest({ a: 1 })).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('diffs leaf by leaf and never renders a secret', () => {
    const before: Values = { core: { replicas: 1 }, harborAdminPassword: 'old-pw', gone: true };
    const after: Values = { core: { replicas: 3 }, harborAdminPassword: 'new-pw', added: 'x' };
    const changes = diffValues(before, after, (p) => p[0] === 'harborAdminPassword');
    expect(changes).toEqual([
      { path: 'added', kind: 'added', after: '"x"', before: undefined },
      { path: 'core.replicas', kind: 'changed', before: '1', after: '3' },
      { path: 'gone', kind: 'removed', before: 'true', after: undefined },
      { path: 'harborAdminPassword', kind: 'changed', before: '(secret)', after: '(secret)' },
    ]);
    expect(JSON.stringify(changes)).not.toMatch(/old-pw|new-pw/);
  });

  it('suggests the key a typo meant', () => {
    expect(suggestPath(['core', 'replica'], pinnedChartValues())).toBe('core.replicas');
    expect(suggestPath(['expose', 'ingres', 'className'], pinnedChartValues())).toBe('expose.ingress');
    expect(suggestPath(['totally', 'unrelated'], pinnedChartValues())).toBeUndefined();
  });
});
