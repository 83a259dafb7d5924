/**
 * npm run build: generate manifests → type-check → bundle every action (actions/<id>/dist, committed) and task
 * (tasks/<Task>/dist) with ncc → package the .vsix. `--only <id>` bundles one capability and skips the global type-check, so one
 * engineer's unfinished capability does not block another's.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundle } from './bundle';
import { generatedFiles, loadCapabilities, ROOT } from './manifests';
import { packageExtension } from './package';

async function main(): Promise<void> {
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined;
  const capabilities = loadCapabilities().filter((c) => !only || c.definition.id === only);
  if (only && capabilities.length === 0) throw new Error(`no capability '${only}' in shared/capabilities`);

  for (const [path, content] of generatedFiles(only ? loadCapabilities() : capabilities)) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), content);
  }
  if (!only)
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', ROOT, '--noEmit'], {
      stdio: 'inherit',
    });

  for (const { definition: def } of capabilities) {
    const started = Date.now();
    await bundle(join(ROOT, 'actions', def.id, 'index.ts'), join(ROOT, 'actions', def.id, 'dist'), 'github');
    await bundle(
      join(ROOT, 'tasks', def.taskName, 'index.ts'),
      join(ROOT, 'tasks', def.taskName, 'dist'),
      'azure-devops',
    );
    console.log(
      `bundled ${def.id} (action) and ${def.taskName} (task) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  if (!only) console.log(`extension: ${packageExtension('release')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
