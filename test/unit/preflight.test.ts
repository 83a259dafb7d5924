import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingTools, missingToolsLine } from '../support/preflight';
import { toolList } from '../support/tools';

describe('preflight: every missing tool in one line, with the command that installs it', () => {
  const saved = process.env.PATH;
  afterEach(() => {
    process.env.PATH = saved;
  });

  it('finds nothing on an empty PATH and names every apt tool the tests need, not the benchmark-only ones', () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'empty-path-'));
    const missing = missingTools();
    expect(missing.apt.map((t) => t.name)).toEqual(['docker-registry', 'skopeo', 'openssl']);
    const line = missingToolsLine({ apt: missing.apt, go: [] });
    expect(line).toBe(
      'Missing tools for the integration tests: docker-registry, skopeo, openssl (sudo apt-get install -y docker-registry skopeo openssl). ' +
        'scripts/install-tools.sh installs all of them; npm run test:unit needs none.',
    );
  });

  it('names missing Go tools by pinned version, and says when Go itself is missing', () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'empty-path-'));
    const go = toolList().go;
    expect(missingToolsLine({ apt: [], go })).toBe(
      `Missing tools for the integration tests: ${go.map((t) => `${t.name} ${t.version}`).join(', ')} ` +
        '(scripts/install-tools.sh --go-only, which needs Go >= 1.24 on PATH). scripts/install-tools.sh installs all of them; npm run test:unit needs none.',
    );
    expect(missingToolsLine({ apt: [], go: [] })).toBeUndefined();
  });
});
