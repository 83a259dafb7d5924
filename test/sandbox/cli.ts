import { startSandbox } from './sandbox';

// `npx tsx test/sandbox/cli.ts up [--keep]`: start the sandbox, print how to reach it as JSON; with --keep stay up
// until Ctrl-C, otherwise stop at once (a smoke check that everything starts and stops cleanly).

function usage(): never {
  process.stderr.write('usage: tsx test/sandbox/cli.ts up [--keep]\n');
  process.exit(2);
}

async function main(): Promise<void> {
  const [command, ...flags] = process.argv.slice(2);
  if (command !== 'up' || flags.some((f) => f !== '--keep')) usage();
  const sandbox = await startSandbox();
  const harbor = (h: typeof sandbox.harborA) => ({
    url: h.url,
    host: h.host,
    admin: h.admin,
    registry: h.registry.url,
  });
  process.stdout.write(
    JSON.stringify(
      {
        harborA: harbor(sandbox.harborA),
        harborB: harbor(sandbox.harborB),
        acr: { url: sandbox.acr.url, host: sandbox.acr.host, users: sandbox.acr.users, caFile: sandbox.acr.caFile },
      },
      null,
      2,
    ) + '\n',
  );
  if (!flags.includes('--keep')) return sandbox.stop();
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await sandbox.stop({ ignoreViolations: true });
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`sandbox: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
