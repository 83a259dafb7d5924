/**
 * npm run demo: the documented GitHub pipeline (examples/github/ci-gitops.yml, job `image`) run with the built actions
 * against the loopback sandbox — push a small generated image, gate on its scan, sign it with cosign, replicate to the
 * ACR stand-in and to a replica Harbor — printing each step's summary and the pushed digest, then stopping everything.
 *
 *   npm run demo               run and stop
 *   npm run demo -- --keep     leave the sandbox up and print URLs and credentials to try the steps by hand
 *   HARBOR_URL=https://harbor.example.com HARBOR_USERNAME=… HARBOR_PASSWORD=… npm run demo
 *                              push and gate against that real Harbor instead (project HARBOR_PROJECT, default demo)
 */
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { removeAllTempDirs } from '../test/sandbox/child-processes';
import { ROOT } from '../test/support/bundles';
import { ciGitOpsContext, preparePipelineWorkspace, startPipelineSandbox } from '../test/support/pipeline-sandbox';
import { runGitHubWorkflow, type GitHubContext, type StepRun } from '../test/support/workflow-runner';

const keep = process.argv.includes('--keep');
const SHA = `demo${Date.now().toString(16)}`;

function report(steps: StepRun[]): boolean {
  for (const step of steps) {
    console.log(
      `\n=== ${step.name} (${step.id}): ${step.run.code === 0 ? 'succeeded' : `FAILED (exit ${step.run.code})`}`,
    );
    console.log(step.run.summary.trim() || '(no summary)');
    for (const line of step.run.displayed.split('\n')) if (line.startsWith('::error::')) console.log(line);
  }
  const push = steps.find((s) => s.id === 'push');
  if (push?.run.outputs.digest)
    console.log(`\npushed ${push.run.outputs.images?.split('\n')[0] ?? ''} → ${push.run.outputs.digest}`);
  return steps.length > 0 && steps.every((s) => s.run.code === 0);
}

async function main(): Promise<number> {
  const workspace = await preparePipelineWorkspace();
  const example = join(ROOT, 'examples', 'github', 'ci-gitops.yml');

  if (process.env.HARBOR_URL) {
    // A real Harbor: push and gate only (replication needs endpoints the demo cannot invent).
    const context: GitHubContext = {
      workspace,
      github: { sha: SHA },
      env: { PROJECT: process.env.HARBOR_PROJECT ?? 'demo' },
      vars: { HARBOR_URL: process.env.HARBOR_URL, HARBOR_USERNAME: process.env.HARBOR_USERNAME ?? 'admin' },
      secrets: { HARBOR_PASSWORD: process.env.HARBOR_PASSWORD ?? '' },
    };
    const { steps } = await runGitHubWorkflow(example, context, { jobs: ['image'], stepIds: ['push', 'gate'] });
    return report(steps) ? 0 : 1;
  }

  const sandbox = await startPipelineSandbox();
  try {
    const base = ciGitOpsContext(sandbox, workspace, SHA);
    // The sign step's key: a throw-away P-256 key made here (the example reads cosign.key from a secret; an unencrypted
    // PEM needs no password). Print its public half with --keep to try `cosign verify --key` by hand.
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const context = {
      ...base,
      secrets: {
        ...base.secrets,
        COSIGN_PRIVATE_KEY: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
    };
    const { steps } = await runGitHubWorkflow(example, context, { jobs: ['image'] });
    const ok = report(steps);
    if (keep) {
      console.log('\nSandbox is up (Ctrl-C to stop):');
      console.log(
        JSON.stringify(
          {
            vars: context.vars,
            secrets: context.secrets,
            harborAdmin: sandbox.harborA.admin,
            cosignPublicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
            workspace,
          },
          null,
          2,
        ),
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
    }
    return ok ? 0 : 1;
  } finally {
    await sandbox.stop({ ignoreViolations: false });
    removeAllTempDirs();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
