import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inBatches, writeChunks } from '../../shared/report/write-chunks';

const dir = mkdtempSync(join(tmpdir(), 'write-chunks-'));

describe('writeChunks', () => {
  it('writes small and large pieces in order, whether joined first or written as they are', () => {
    const big = (c: string) => c.repeat((1 << 20) + 3); // above the 1 MiB at which pending pieces are flushed
    const pieces = ['{"a":[', 'x', big('b'), ',', 'ü€😀', big('c'), big('d'), 'tail', '\n'];
    const file = join(dir, 'mixed.txt');
    writeChunks(file, pieces, 'test-file');
    expect(readFileSync(file, 'utf8')).toBe(pieces.join(''));
  });

  it('writes a report made only of small pieces', () => {
    const pieces = Array.from({ length: 50_000 }, (_, i) => `<case n="${i}"/>\n`);
    const file = join(dir, 'small.xml');
    writeChunks(file, pieces, 'test-file');
    expect(readFileSync(file, 'utf8')).toBe(pieces.join(''));
  });
});

describe('inBatches', () => {
  it('gives the elements of the whole array as JSON, across batches', () => {
    const items = Array.from({ length: 4_501 }, (_, i) => ({ i, text: `line ${i}\n"quoted"` }));
    expect(`[${[...inBatches(items, (x) => x)].join('')}]`).toBe(JSON.stringify(items));
    expect([...inBatches([], (x) => x)].join('')).toBe('');
  });
});
