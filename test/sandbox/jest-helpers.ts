import { formatViolation, HarborEmulator } from './harbor-emulator';

/** Throws (failing the current test) when any emulator saw a contract violation; clears them either way. */
export function expectNoContractViolations(...emulators: HarborEmulator[]): void {
  const found = emulators.flatMap((e) => e.violations());
  for (const e of emulators) e.clearViolations();
  if (found.length) throw new Error(`Harbor contract violations:\n${found.map(formatViolation).join('\n')}`);
}

/**
 * Registers an afterEach that fails the test that caused a violation (not a later one, and not only at stop()).
 * `emulators` is read lazily because they are usually started in beforeAll.
 */
export function useContractCheck(emulators: () => Array<HarborEmulator | undefined>): void {
  afterEach(() => expectNoContractViolations(...emulators().filter((e): e is HarborEmulator => e !== undefined)));
}
