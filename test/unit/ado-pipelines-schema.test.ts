/**
 * Every Azure DevOps pipeline we document — the files in examples/azure-devops and every Azure Pipelines snippet in
 * README.md and docs/ — validates against Azure Pipelines' own YAML schema (pipeline structure and the inputs of the
 * built-in tasks) with our tasks added from their generated task.json, as the Azure DevOps schema service adds an
 * organisation's extension tasks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/bundles';
import {
  adoSnippetKind,
  compileAdoSchema,
  extendedSchema,
  formatProblem,
  ourTaskJsons,
  ourTaskSchemaEntries,
  readReferenceSchema,
  validateAdoYaml,
  yamlSnippets,
} from '../support/ado-schema';
import type { AdoValidator } from '../support/ado-schema';

type Json = Record<string, unknown>;

// Compiling the 1.6 MB schema takes ajv 5–25 s depending on the machine's load.
jest.setTimeout(180_000);

let validator: AdoValidator;
beforeAll(() => {
  validator = compileAdoSchema();
});

function problems(file: string, text: string, as = 'pipeline', lineOffset = 0): string[] {
  return validateAdoYaml(validator, text, as, lineOffset).map((p) => formatProblem(file, p));
}

const exampleDir = join(ROOT, 'examples', 'azure-devops');
const examples = readdirSync(exampleDir).filter((f) => f.endsWith('.yml'));

const markdownFiles = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const snippets = markdownFiles.flatMap((file) => yamlSnippets(file, readFileSync(join(ROOT, file), 'utf8')));
const adoSnippets = snippets.flatMap((s) => {
  const kind = adoSnippetKind(s.text);
  return kind ? [{ ...s, kind }] : [];
});

describe('the extended schema', () => {
  const reference = readReferenceSchema() as {
    definitions: { task: { anyOf: Json[]; properties: { task: { anyOf: Json[] } } } };
  };
  const builtIn = reference.definitions.task;
  const extended = extendedSchema() as typeof reference;

  it('keeps every built-in task version and adds each of ours once, as name@major', () => {
    const names = (s: typeof reference): string[] =>
      s.definitions.task.properties.task.anyOf.flatMap((e) => e.enum as string[]);
    const ours = ourTaskJsons().map((t) => `${t.name}@${t.version.Major}`);
    expect(names(extended)).toEqual([...names(reference), ...ours]);
    expect(extended.definitions.task.anyOf).toHaveLength(builtIn.anyOf.length + ours.length);
    expect(ours.length).toBeGreaterThanOrEqual(5);
  });

  it('encodes our tasks in exactly the shape the service gives built-in ones', () => {
    const shape = (o: unknown): unknown =>
      o && typeof o === 'object' && !Array.isArray(o)
        ? Object.fromEntries(
            Object.keys(o)
              .sort()
              .map((k) => [k, k === 'properties' || k === 'required' ? '…' : shape((o as Json)[k])]),
          )
        : typeof o;
    // PublishTestResults@2: inputs with an alias, a choice, booleans and strings.
    const model = builtIn.anyOf.find(
      (b) => (b.properties as Json & { task: { pattern: string } }).task.pattern === '^PublishTestResults@2$',
    )!;
    const modelInputs = (model.properties as { inputs: { properties: Record<string, Json> } }).inputs.properties;
    for (const task of ourTaskJsons()) {
      const { name, branch } = ourTaskSchemaEntries(task);
      expect(shape(branch)).toEqual(shape({ ...model, required: ['task'] }));
      expect(Object.keys(name).sort()).toEqual(Object.keys(builtIn.properties.task.anyOf[0]).sort());
      const inputs = (branch.properties as { inputs: { properties: Record<string, Json> } }).inputs.properties;
      for (const input of Object.values(inputs)) {
        const like = input.enum
          ? modelInputs.testResultsFormat
          : input.type === 'boolean'
            ? modelInputs.mergeTestResults
            : modelInputs.testRunTitle;
        const { aliases: _ignored, ...likeWithoutAlias } = like;
        expect(
          Object.keys(input)
            .filter((k) => k !== 'aliases')
            .sort(),
        ).toEqual(Object.keys(likeWithoutAlias).sort());
      }
    }
  });

  it('keys an aliased input by its first alias and lists the task.json name as the alias, as for AzureCLI@2', () => {
    const cli = builtIn.anyOf.find(
      (b) => (b.properties as Json & { task: { pattern: string } }).task.pattern === '^AzureCLI@2$',
    )!;
    expect(
      (cli.properties as { inputs: { properties: Record<string, Json> } }).inputs.properties.azureSubscription.aliases,
    ).toEqual(['connectedServiceNameARM']);
    const { branch } = ourTaskSchemaEntries({
      name: 'X',
      friendlyName: 'X',
      description: 'x',
      version: { Major: 2 },
      inputs: [
        {
          name: 'connectedServiceNameARM',
          aliases: ['azureSubscription'],
          type: 'connectedService:AzureRM',
          label: 'Azure',
          required: true,
        },
        { name: 'hidden', type: 'string', required: true, visibleRule: 'mode = a' },
        { name: 'defaulted', type: 'string', required: true, defaultValue: 'd' },
      ],
    });
    const inputs = (branch.properties as { inputs: { properties: Record<string, Json>; required: string[] } }).inputs;
    expect(inputs.properties.azureSubscription).toEqual({
      type: 'string',
      description: 'Azure',
      ignoreCase: 'key',
      aliases: ['connectedServiceNameARM'],
    });
    // Required inputs behind a visibleRule or with a default are not listed (KubernetesManifest@1's `patch` is not).
    expect(inputs.required).toEqual(['azureSubscription']);
    expect(branch.required).toEqual(['task', 'inputs']);
  });
});

describe.each(examples)('examples/azure-devops/%s', (file) => {
  const text = readFileSync(join(exampleDir, file), 'utf8');

  it("validates against Azure Pipelines' schema with our tasks added", () => {
    expect(problems(`examples/azure-devops/${file}`, text)).toEqual([]);
  });

  it('uses at least one of our tasks', () => {
    const ours = ourTaskJsons().map((t) => `${t.name}@${t.version.Major}`);
    expect(ours.some((id) => text.includes(`task: ${id}`))).toBe(true);
  });
});

describe('Azure Pipelines snippets in README.md and docs/', () => {
  it('finds them', () => {
    expect(adoSnippets.length).toBeGreaterThanOrEqual(5);
    expect(adoSnippets.map((s) => s.file)).toEqual(expect.arrayContaining(['README.md', 'docs/push.md']));
  });

  it.each(adoSnippets.map((s) => [`${s.file}:${s.line}`, s] as const))('%s validates', (_label, s) => {
    expect(problems(s.file, s.text, s.kind, s.line - 1)).toEqual([]);
  });
});

describe('the check fails, naming file, YAML path and rule', () => {
  const file = 'broken.yml';

  it('on an input our task does not have', () => {
    const text = [
      'steps:',
      '  - task: HarborPush@1',
      '    inputs:',
      '      harborConnection: h',
      '      source: oci:out',
      '      sourceFile: app.tar',
    ].join('\n');
    expect(problems(file, text)).toEqual([
      expect.stringMatching(
        /^broken\.yml:6: steps\[0\]\.inputs: unknown input 'sourceFile' of HarborPush@1 \[additionalProperties at #\/definitions\/task\/anyOf\/\d+\/properties\/inputs\]$/,
      ),
    ]);
  });

  it('on an input a Microsoft task does not have, and on a value its pick list does not offer', () => {
    const text = [
      'steps:',
      '  - task: PublishTestResults@2',
      '    inputs:',
      '      testResultsFormat: JUnitXml',
      '      testResultFiles: a.xml',
    ].join('\n');
    const found = problems(file, text);
    expect(found).toHaveLength(2);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^broken\.yml:5: steps\[0\]\.inputs: unknown input 'testResultFiles' of PublishTestResults@2 \[additionalProperties at #\/definitions\/task\/anyOf\/\d+\/properties\/inputs\]$/,
        ),
        expect.stringMatching(
          /^broken\.yml:4: steps\[0\]\.inputs\.testResultsFormat: must be one of "JUnit", "NUnit", "VSTest", "XUnit", "CTest" \(value "JUnitXml"\) \[enum at .*\/properties\/inputs\/properties\/testResultsFormat\]$/,
        ),
      ]),
    );
  });

  it('on a missing required input', () => {
    const text = [
      'jobs:',
      '  - job: push',
      '    steps:',
      '      - task: HarborPush@1',
      '        inputs:',
      '          harborConnection: h',
    ].join('\n');
    expect(problems(file, text)).toEqual([
      expect.stringMatching(
        /^broken\.yml:6: jobs\[0\]\.steps\[0\]\.inputs: missing required input 'source' of HarborPush@1 \[required at #\/definitions\/task\/anyOf\/\d+\/properties\/inputs\]$/,
      ),
    ]);
  });

  it('on a wrong key under a job', () => {
    const text = [
      'jobs:',
      '  - job: build',
      '    pool: { vmImage: ubuntu-latest }',
      '    stepz:',
      '      - script: make',
    ].join('\n');
    expect(problems(file, text)).toEqual([
      "broken.yml:4: jobs[0]: unknown key 'stepz' [additionalProperties at #/definitions/job/anyOf/0]",
    ]);
  });

  it('on a task name neither Microsoft nor we ship, and on a misplaced stages key', () => {
    expect(problems(file, 'steps:\n  - task: HarborPushh@1\n')).toEqual([
      "broken.yml:2: steps[0].task: 'HarborPushh@1' is not a task the schema knows (built-in or ours) [anyOf at #/definitions/task/properties/task]",
    ]);
    const misplaced = ['jobs:', '  - job: a', '    stages:', '      - stage: b'].join('\n');
    expect(problems(file, misplaced)).toEqual([
      "broken.yml:3: jobs[0]: unknown key 'stages' [additionalProperties at #/definitions/job/anyOf/0]",
    ]);
  });

  it('in a Markdown snippet, at the line of the Markdown file', () => {
    const markdown = ['# t', '', '```yaml', '- task: HarborTrivyGate@1', '  inputs:', '    failOn: severe', '```'].join(
      '\n',
    );
    const [s] = yamlSnippets('docs/x.md', markdown);
    expect(adoSnippetKind(s.text)).toBe('steps');
    expect(problems(s.file, s.text, 'steps', s.line - 1)).toEqual([
      expect.stringMatching(
        /^docs\/x\.md:6: \[0\]\.inputs\.failOn: must be one of "critical", "high", "medium", "low", "unknown", "none" \(value "severe"\) \[enum at /,
      ),
    ]);
  });

  it('accepts what the service accepts: macros for typed inputs, YAML numbers and booleans as strings, any case for names and choices', () => {
    const text = [
      'steps:',
      '  - task: harborTrivyGate@1',
      '    continueOnError: true',
      '    timeoutInMinutes: 10',
      '    inputs:',
      '      ignoreUnfixed: $(ignoreUnfixed)',
      '      MaxHigh: 0',
      '      failOn: HIGH',
    ].join('\n');
    expect(problems(file, text)).toEqual([]);
    expect(problems(file, text.replace('$(ignoreUnfixed)', 'maybe'))).toEqual([
      expect.stringMatching(
        /^broken\.yml:6: steps\[0\]\.inputs\.ignoreUnfixed: must be true or false \(or a \$\(macro\)\) \(value "maybe"\)/,
      ),
    ]);
    // Case is ignored, not spelling: an input that is not there in any case is still unknown.
    expect(problems(file, text.replace('MaxHigh', 'MaxHig'))).toEqual([
      expect.stringMatching(/^broken\.yml:7: steps\[0\]\.inputs: unknown input 'MaxHig' of harborTrivyGate@1/),
    ]);
  });
});
