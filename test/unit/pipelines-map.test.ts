/**
 * docs/pipelines.md maps every numbered step of the guide's CI/CD flows to an example: every step has a row, every
 * example it links exists, and every step it names ("Push to Harbor") is a step of a pipeline that row links — so the
 * map fails when an example is renamed or a step is dropped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../support/bundles';

const doc = readFileSync(join(ROOT, 'docs', 'pipelines.md'), 'utf8');

function section(title: string): string[] {
  const start = doc.indexOf(`## ${title}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((l) => /^\| /.test(l) && !/^\| (#|---|Guide)/.test(l));
}

const links = (row: string): string[] => [...row.matchAll(/\]\(([^)]+)\)/g)].map((m) => resolve(ROOT, 'docs', m[1]));
const stepNames = (row: string): string[] => [...row.matchAll(/"([^"]+)"/g)].map((m) => m[1]);

function pipelineStepNames(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*-?\s*(?:name|displayName): (.+)$/gm)].map((m) =>
    m[1].trim().replace(/^['"]|['"]$/g, ''),
  );
}

describe.each(['Using Harbor with Argo CD', 'Using Harbor with Flux', 'Using Harbor with Azure DevOps'])(
  'docs/pipelines.md: %s',
  (title) => {
    const rows = section(title);

    it('has a row for each of the guide steps 1–11, in order', () => {
      expect(rows.map((r) => Number(/^\| (\d+) \|/.exec(r)?.[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    });

    it.each(rows.map((r, i) => [i + 1, r] as const))(
      'step %i links existing files and names steps those pipelines have',
      (_n, row) => {
        const files = links(row);
        expect(files.filter((f) => !existsSync(f))).toEqual([]);
        const pipelines = files.filter((f) => /\.ya?ml$/.test(f) && f.includes(`${join(ROOT, 'examples')}`));
        const known = new Set(pipelines.flatMap(pipelineStepNames));
        expect(stepNames(row).filter((s) => !known.has(s))).toEqual([]);
        // A row either points at an example or says who does the step instead.
        expect(pipelines.length > 0 || /Outside a pipeline/.test(row)).toBe(true);
      },
    );
  },
);

describe('docs/pipelines.md: multi-cloud', () => {
  it('links existing files and names steps those pipelines have', () => {
    const rows = section('Using Harbor in a multi-cloud scenario');
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) {
      expect(links(row).filter((f) => !existsSync(f))).toEqual([]);
      const known = new Set(
        links(row)
          .filter((f) => /\.ya?ml$/.test(f))
          .flatMap(pipelineStepNames),
      );
      expect(stepNames(row).filter((s) => !known.has(s))).toEqual([]);
    }
  });

  it('the check fails on a step name no linked pipeline has', () => {
    const row = '| 3 | x | [ci.yml](../examples/azure-devops/ci.yml): "Push to Harbour" |';
    const known = new Set(links(row).flatMap(pipelineStepNames));
    expect(stepNames(row).filter((s) => !known.has(s))).toEqual(['Push to Harbour']);
  });
});
