import { mkdirSync, renameSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REFERENCE_CACHE, REFERENCE_ENV, REFERENCE_FILES, sha256 } from '../test/reference';

// `npm run reference`: downloads every pinned third-party reference file that is not already available into
// .cache/reference, checking each against its sha256 before it is kept. Fails with one line on the first problem.

function cause(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timed out after 30 s';
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

function valid(file: string, expected: string): boolean {
  return existsSync(file) && sha256(readFileSync(file)) === expected;
}

/** Downloads what is missing into the cache; returns how many files it fetched. Throws one-line errors. */
export async function downloadReferences(): Promise<number> {
  const fromEnv = process.env[REFERENCE_ENV];
  let fetched = 0;
  for (const file of REFERENCE_FILES) {
    if (fromEnv && valid(join(fromEnv, file.path), file.sha256)) continue;
    const target = join(REFERENCE_CACHE, file.path);
    if (valid(target, file.sha256)) continue;
    let body: Buffer;
    try {
      const res = await fetch(file.url, { signal: AbortSignal.timeout(30_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      body = Buffer.from(await res.arrayBuffer());
    } catch (err) {
      throw new Error(
        `cannot download ${file.url} (${cause(err)}); without internet access set ${REFERENCE_ENV} to a folder that holds the pinned files`,
        { cause: err },
      );
    }
    const actual = sha256(body);
    if (actual !== file.sha256)
      throw new Error(
        `${file.url} has sha256 ${actual}, pinned ${file.sha256} in test/reference/manifest.json: not kept`,
      );
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(`${target}.partial`, body);
    renameSync(`${target}.partial`, target);
    fetched += 1;
  }
  return fetched;
}

if (require.main === module) {
  downloadReferences().then(
    (fetched) =>
      console.log(`reference files: ${REFERENCE_FILES.length} pinned, ${fetched} downloaded, all present and verified`),
    (err: Error) => {
      console.error(`npm run reference: ${err.message}`);
      process.exit(1);
    },
  );
}
