/**
 * Every line a step logs is inert for its runner: the hostile lines below, judged by each runner's own grammar
 * (test/support/runner-commands.ts, written from the runner and agent sources), are shown but never acted on.
 */
import { safeForGitHub } from '../../actions/adapter/log-text';
import { safeForAzureDevOps } from '../../tasks/adapter/log-text';
import { fenceForeign } from '../../shared/log-text';
import { azureDevOpsCommands, gitHubCommands } from '../support/runner-commands';

const HOSTILE = [
  '::error::forged',
  '   ::set-output name=result::passed',
  '::add-mask::abc',
  '::stop-commands::evil',
  'x ##[set-output name=result;]passed',
  '##[error]forged',
  '::ERROR file=a,line=1::forged',
  '##vso[task.setvariable variable=result;isOutput=true]passed',
  'before ##vso[task.complete result=Succeeded;]done',
  '##VSO[task.setvariable variable=x]1',
  '###vso[task.logissue type=error]x',
  '##vso[build.addbuildtag]pwned',
  "Replication policy 'a ##vso[task.setvariable variable=x]1' created",
  'plain text with :: in the middle and ## marks',
];

describe('GitHub: text the runner would act on is wrapped in stop-commands with an unguessable token', () => {
  it.each(HOSTILE)('%s', (line) => {
    const out = safeForGitHub(`first line\n${line}\nlast line`);
    const commands = gitHubCommands(out);
    // Only our own pause/resume pair: nothing from the text itself.
    expect(commands.filter((c) => !/^(stop-commands|hp-[0-9a-f]{32})$/.test(c.name))).toEqual([]);
    expect(out).toContain(line);
  });

  it('the foreign text cannot end the pause: a new token each time', () => {
    const a = safeForGitHub('::error::x');
    const b = safeForGitHub('::error::x');
    expect(a.split('\n')[0]).not.toBe(b.split('\n')[0]);
  });

  it("a foreign stop-commands cannot hide the step's own error", () => {
    const out = `${safeForGitHub('scanner log\n::stop-commands::evil')}\n::error::the step failed`;
    expect(gitHubCommands(out).map((c) => c.name)).toEqual(['stop-commands', expect.stringMatching(/^hp-/), 'error']);
  });

  it('ordinary text is printed unchanged', () => {
    expect(safeForGitHub('Pushed host/repo@sha256:ab (1.2 MB)\n  ::1 is loopback')).toBe(
      'Pushed host/repo@sha256:ab (1.2 MB)\n  ::1 is loopback',
    );
  });
});

describe('Azure DevOps: every ##vso and ##[ is broken so the agent neither acts nor warns', () => {
  it.each(HOSTILE)('%s', (line) => {
    const out = safeForAzureDevOps(`first line\n${line}`);
    const parsed = azureDevOpsCommands(out);
    expect(parsed.commands).toEqual([]);
    expect(parsed.warnedLines).toEqual([]);
    expect(out).not.toMatch(/^##\[/m);
  });

  it('ordinary text is printed unchanged', () => {
    expect(safeForAzureDevOps('Tags: v1, # note')).toBe('Tags: v1, # note');
  });
});

it('foreign blocks are fenced line by line', () => {
  expect(fenceForeign('a\r\nb\n\n')).toBe('  | a\n  | b');
});
