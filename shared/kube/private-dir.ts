import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A directory only this user can read (0700) for files that hold secrets — values files with passwords, kubeconfigs,
 * manifests — each written 0600 and all removed by `dispose`, also when the step fails.
 */
export class PrivateDir {
  readonly path: string;

  constructor(parent: string, prefix = 'harbor-deploy-') {
    // The runner's temp directory is not guaranteed to exist yet (e.g. RUNNER_TEMP before any action used it).
    mkdirSync(parent, { recursive: true });
    this.path = mkdtempSync(join(parent, prefix));
    chmodSync(this.path, 0o700);
  }

  write(name: string, content: string | Buffer): string {
    const file = join(this.path, name);
    writeFileSync(file, content, { mode: 0o600 });
    // mode is only applied on creation; make sure a rewritten file is private too.
    chmodSync(file, 0o600);
    return file;
  }

  file(name: string): string {
    return join(this.path, name);
  }

  dispose(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
