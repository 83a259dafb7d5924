import { HarborEmulator, HarborEmulatorOptions, startHarborEmulator } from './harbor-emulator';
import { Credentials, RegistryHandle, startRegistry } from './registry-launcher';

export interface SandboxOptions {
  harborA?: HarborEmulatorOptions;
  harborB?: HarborEmulatorOptions;
  /** htpasswd registry standing in for ACR (token credentials are basic auth to the registry). */
  acr?: { users?: Credentials[]; tls?: boolean };
}

export interface Sandbox {
  harborA: HarborEmulator;
  harborB: HarborEmulator;
  acr: RegistryHandle;
  /** Stops everything; throws afterwards if an emulator recorded contract violations (unless ignored). */
  stop(opts?: { ignoreViolations?: boolean }): Promise<void>;
}

/** Two Harbors (primary and replica) and an "ACR", all on loopback, all stopped by one call. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const started: Array<{ stop(o?: { ignoreViolations?: boolean }): Promise<void> }> = [];
  const stopAll = async (opts?: { ignoreViolations?: boolean }) => {
    const results = await Promise.allSettled(started.reverse().map((s) => s.stop(opts)));
    const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failures.length) throw new Error(failures.map((f) => String(f.reason?.message ?? f.reason)).join('\n'));
  };
  try {
    const [harborA, harborB, acr] = await Promise.all([
      startHarborEmulator(options.harborA).then((h) => (started.push(h), h)),
      startHarborEmulator(options.harborB).then((h) => (started.push(h), h)),
      startRegistry({
        auth: 'htpasswd',
        users: options.acr?.users ?? [{ username: 'acr-token', password: 'acr-token-password' }],
        tls: options.acr?.tls,
      }).then((r) => (started.push(r), r)),
    ]);
    return { harborA, harborB, acr, stop: stopAll };
  } catch (e) {
    await stopAll({ ignoreViolations: true }).catch(() => undefined);
    throw e;
  }
}
