/**
 * Azure Pipelines' own YAML schema, extended with our tasks the way the Azure DevOps schema service extends it with an
 * organisation's installed extension tasks, and a validator over it that names file, YAML path and broken rule.
 *
 * The reference schema (the VS Code extension's service-schema.json, draft-07) encodes each built-in task version twice
 * under `definitions.task`: an entry `{ enum: ['Name@Major'] }` in the closed list `properties.task.anyOf`, and a branch
 * in `anyOf` whose `task` matches `^Name@Major$` and whose `inputs` is a closed object. An input is keyed by its first
 * alias when it has one (the name YAML users write) with the task.json name moved to `aliases`; pick lists become
 * `enum` (option keys), booleans `type: boolean`, everything else `type: string`; `required` lists the inputs that are
 * required, always visible and have no default (KubernetesManifest@1's `patch` is required but behind a visibleRule
 * and is not listed). `ourTaskSchemaEntries` produces exactly that shape from a generated task.json.
 *
 * The schema also uses the language server's extensions (docs/schema-extensions.md in
 * microsoft/azure-pipelines-language-server): `firstProperty`, `ignoreCase`, `aliases`. ajv does not know them, so
 * `compileAdoSchema` rewrites them into keywords it registers — see `toValidationSchema`.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { LineCounter, parseDocument, isMap, isSeq, isScalar } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { ROOT } from './bundles';
import { readReference } from '../reference';

type Json = Record<string, unknown>;

interface TaskJsonInput {
  name: string;
  type: string;
  label?: string;
  required?: boolean;
  defaultValue?: unknown;
  visibleRule?: string;
  aliases?: string[];
  options?: Record<string, string>;
  properties?: { EditableOptions?: string };
}

export interface TaskJson {
  name: string;
  friendlyName: string;
  description: string;
  version: { Major: number };
  deprecated?: boolean;
  inputs: TaskJsonInput[];
}

export const REFERENCE_SCHEMA = 'azure-devops/pipelines.schema.json';

export function readReferenceSchema(): Json {
  return JSON.parse(readReference(REFERENCE_SCHEMA)) as Json;
}

export function ourTaskJsons(): TaskJson[] {
  const dir = join(ROOT, 'tasks');
  return readdirSync(dir)
    .filter((d) => existsSync(join(dir, d, 'task.json')))
    .map((d) => JSON.parse(readFileSync(join(dir, d, 'task.json'), 'utf8')) as TaskJson);
}

function inputSchema(input: TaskJsonInput): Json {
  const description = input.label ?? input.name;
  const aliases = input.aliases?.length ? { aliases: [input.name, ...input.aliases.slice(1)] } : {};
  const closedChoice =
    (input.type === 'pickList' || input.type === 'radio') &&
    input.options &&
    input.properties?.EditableOptions !== 'True';
  if (closedChoice) return { description, ignoreCase: 'all', enum: Object.keys(input.options!), ...aliases };
  const type = input.type === 'boolean' ? 'boolean' : input.type === 'int' ? 'integer' : 'string';
  return { type, description, ignoreCase: 'key', ...aliases };
}

/** The two pieces the schema service adds for one task version: the enum entry and the conditional inputs branch. */
export function ourTaskSchemaEntries(task: TaskJson): { name: Json; branch: Json } {
  const id = `${task.name}@${task.version.Major}`;
  const deprecation = task.deprecated ? { deprecationMessage: `${task.name} is deprecated - ${task.description}` } : {};
  const properties: Record<string, Json> = {};
  const required: string[] = [];
  for (const input of task.inputs) {
    const key = input.aliases?.[0] ?? input.name;
    properties[key] = inputSchema(input);
    const hasDefault = input.defaultValue !== undefined && input.defaultValue !== '';
    if (input.required && !input.visibleRule && !hasDefault) required.push(key);
  }
  return {
    name: {
      description: task.description,
      ...deprecation,
      doNotSuggest: !!task.deprecated,
      ignoreCase: 'value',
      enum: [id],
    },
    branch: {
      properties: {
        task: { description: `${task.friendlyName}\n\n${task.description}`, ignoreCase: 'value', pattern: `^${id}$` },
        inputs: { description: `${task.friendlyName} inputs`, properties, additionalProperties: false, required },
      },
      ...deprecation,
      doNotSuggest: !!task.deprecated,
      firstProperty: ['task'],
      required: required.length ? ['task', 'inputs'] : ['task'],
    },
  };
}

/** The reference schema with our tasks added; the reference object is not modified. */
export function extendedSchema(reference: Json = readReferenceSchema(), tasks: TaskJson[] = ourTaskJsons()): Json {
  const schema = structuredClone(reference) as {
    definitions: { task: { properties: { task: { anyOf: Json[] } }; anyOf: Json[] } };
  } & Json;
  for (const task of tasks) {
    const { name, branch } = ourTaskSchemaEntries(task);
    schema.definitions.task.properties.task.anyOf.push(name);
    schema.definitions.task.anyOf.push(branch);
  }
  return schema;
}

// ---------------------------------------------------------------------------------------------------------------------
// Validation semantics. Azure Pipelines reads every YAML scalar as a string (the schema's own `boolean` definition is a
// string pattern), runtime macros and expressions are only resolved when the run starts, and task names, input names and
// choice values ignore case. The rewrite keeps the schema's structure (so error paths point into it) and replaces:
//  - `type: string` by string|number|boolean (YAML's `2` and `true` are the strings "2" and "true" to the service);
//  - `type: boolean|integer` and `enum` by keywords that accept the string forms and a whole-value `$(…)`/`$[…]`/`${{…}}`;
//  - `pattern`/`enum` with ignoreCase value|all by case-insensitive comparisons;
//  - `aliases`: an aliased property accepts its alias too, and a required one is satisfied by either spelling.
// Input names ignore case too (`ignoreCase: key`): ajv compares keys exactly, so `canonicalInputNames` rewrites each
// step's input names to the schema's spelling before validation.
// ---------------------------------------------------------------------------------------------------------------------

const MACRO = /^\s*(\$\([^)]+\)|\$\[.*\]|\$\{\{.*\}\})\s*$/s;

function scalarText(data: unknown): string | undefined {
  return typeof data === 'string' || typeof data === 'number' || typeof data === 'boolean' ? String(data) : undefined;
}

function ignoresValueCase(node: Json): boolean {
  return node.ignoreCase === 'value' || node.ignoreCase === 'all';
}

function toValidationSchema(node: unknown, inProperties = false): unknown {
  if (Array.isArray(node)) return node.map((n) => toValidationSchema(n));
  if (!node || typeof node !== 'object') return node;
  const source = node as Json;
  if (inProperties) {
    // `node` maps property names to schemas: add every alias as a property of its own.
    const out: Json = {};
    for (const [key, value] of Object.entries(source)) {
      out[key] = toValidationSchema(value);
      for (const alias of ((value as Json)?.aliases as string[] | undefined) ?? [])
        if (!(alias in source)) out[alias] = out[key];
    }
    return out;
  }
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions')
      out[key] = toValidationSchema(value, true);
    else if (key === 'type' && value === 'string') out.type = ['string', 'number', 'boolean'];
    else if (key === 'type' && (value === 'boolean' || value === 'integer')) out.adoScalar = value;
    else if (key === 'enum') out.adoEnum = { values: value, ignoreCase: ignoresValueCase(source) };
    else if (key === 'pattern' && ignoresValueCase(source)) out.adoPatternIgnoreCase = value;
    else if (key === 'pattern') out.pattern = value;
    else out[key] = toValidationSchema(value);
  }
  // A required property that has aliases is satisfied by any of its spellings.
  const properties = source.properties as Record<string, Json> | undefined;
  if (Array.isArray(source.required) && properties) {
    const aliased = (source.required as string[]).filter(
      (r) => (properties[r]?.aliases as string[] | undefined)?.length,
    );
    if (aliased.length) {
      out.required = (source.required as string[]).filter((r) => !aliased.includes(r));
      out.adoRequired = aliased.map((r) => [r, ...(properties[r].aliases as string[])]);
    }
  }
  return out;
}

function keywordError(keyword: string, message: string, params: Json, parentSchema: unknown): ErrorObject {
  // ajv fills in instancePath and schemaPath where a keyword leaves them out; parentSchema ties the error to its
  // alternative (see relevantErrors), as ajv's verbose option does for its own keywords.
  return { keyword, message, params, parentSchema } as unknown as ErrorObject;
}

function addAdoKeywords(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: 'firstProperty',
    schemaType: 'array',
    errors: true,
    validate: function first(schema: string[], data: unknown, parentSchema?: unknown) {
      if (!data || typeof data !== 'object' || Array.isArray(data)) return true;
      const key = Object.keys(data)[0];
      if (key === undefined || schema.includes(key)) return true;
      (first as unknown as { errors: ErrorObject[] }).errors = [
        keywordError(
          'firstProperty',
          `the first key must be ${schema.join(' or ')} (found '${key}')`,
          { first: schema, found: key },
          parentSchema,
        ),
      ];
      return false;
    },
  });
  ajv.addKeyword({
    keyword: 'adoScalar',
    schemaType: 'string',
    errors: true,
    validate: function scalar(kind: 'boolean' | 'integer', data: unknown, parentSchema?: unknown) {
      const text = scalarText(data);
      const ok =
        text !== undefined &&
        (MACRO.test(text) || (kind === 'boolean' ? /^(true|false)$/i.test(text) : /^-?\d+$/.test(text)));
      if (!ok)
        (scalar as unknown as { errors: ErrorObject[] }).errors = [
          keywordError(
            'adoScalar',
            `must be ${kind === 'boolean' ? 'true or false' : 'an integer'} (or a $(macro))`,
            { type: kind },
            parentSchema,
          ),
        ];
      return ok;
    },
  });
  ajv.addKeyword({
    keyword: 'adoEnum',
    schemaType: 'object',
    errors: true,
    validate: function choice(
      schema: { values: unknown[]; ignoreCase: boolean },
      data: unknown,
      parentSchema?: unknown,
    ) {
      const text = scalarText(data);
      const same = (v: unknown): boolean =>
        text !== undefined &&
        typeof v === 'string' &&
        (schema.ignoreCase ? v.toLowerCase() === text.toLowerCase() : v === text);
      const ok = text !== undefined && (MACRO.test(text) || schema.values.some(same));
      if (!ok)
        (choice as unknown as { errors: ErrorObject[] }).errors = [
          keywordError(
            'enum',
            `must be one of ${schema.values.map((v) => JSON.stringify(v)).join(', ')}`,
            { allowedValues: schema.values },
            parentSchema,
          ),
        ];
      return ok;
    },
  });
  ajv.addKeyword({
    keyword: 'adoPatternIgnoreCase',
    schemaType: 'string',
    errors: true,
    validate: function pattern(schema: string, data: unknown, parentSchema?: unknown) {
      const text = scalarText(data);
      if (text === undefined) return true;
      const ok = new RegExp(schema, 'i').test(text);
      if (!ok)
        (pattern as unknown as { errors: ErrorObject[] }).errors = [
          keywordError('pattern', `must match ${schema}`, { pattern: schema }, parentSchema),
        ];
      return ok;
    },
  });
  ajv.addKeyword({
    keyword: 'adoRequired',
    schemaType: 'array',
    errors: true,
    validate: function required(schema: string[][], data: unknown, parentSchema?: unknown) {
      if (!data || typeof data !== 'object' || Array.isArray(data)) return true;
      const missing = schema.filter((spellings) => !spellings.some((s) => s in data));
      if (missing.length) {
        (required as unknown as { errors: ErrorObject[] }).errors = missing.map((m) =>
          keywordError(
            'required',
            `must have required property '${m[0]}'`,
            { missingProperty: m[0], aliases: m.slice(1) },
            parentSchema,
          ),
        );
      }
      return missing.length === 0;
    },
  });
  for (const annotation of ['ignoreCase', 'aliases', 'doNotSuggest', 'deprecationMessage']) ajv.addKeyword(annotation);
}

export interface AdoValidator {
  schema: Json;
  index: SchemaIndex;
  /** lower-case task id → lower-case input name (or alias) → the spelling the schema uses. */
  inputNames: Map<string, Map<string, string>>;
  /** Validates a whole pipeline file. */
  pipeline: ValidateFunction;
  /** Validates one definition (e.g. 'steps', 'step', 'jobs'), for documentation snippets. */
  definition(name: string): ValidateFunction;
}

export function compileAdoSchema(schema: Json = extendedSchema()): AdoValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false, verbose: true });
  addAdoKeywords(ajv);
  const validationSchema = toValidationSchema(schema) as Json;
  const inputNames = new Map<string, Map<string, string>>();
  for (const branch of (validationSchema.definitions as { task: { anyOf: Json[] } }).task.anyOf) {
    const properties = branch.properties as {
      task: { adoPatternIgnoreCase?: string };
      inputs?: { properties?: Record<string, unknown> };
    };
    const id = /^\^(.+)\$$/.exec(properties.task.adoPatternIgnoreCase ?? '')?.[1];
    if (id)
      inputNames.set(
        id.toLowerCase(),
        new Map(Object.keys(properties.inputs?.properties ?? {}).map((k) => [k.toLowerCase(), k])),
      );
  }
  const pipeline = ajv.compile(validationSchema);
  const id = schema.$id as string;
  return {
    schema: validationSchema,
    index: indexSchema(validationSchema),
    inputNames,
    pipeline,
    definition: (name) => {
      const v = ajv.getSchema(`${id}#/definitions/${name}`);
      if (!v) throw new Error(`no definition '${name}' in the pipelines schema`);
      return v;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------------
// Errors: ajv reports every failing alternative of every anyOf (a step is tried against all 260+ task branches). Like the
// language server's best match, an alternative is discarded when it fails on its discriminator — its `firstProperty`
// is not the first key, or the value of that key does not match (a task branch whose `task` pattern differs) — and what
// remains is reported once per YAML path.
// ---------------------------------------------------------------------------------------------------------------------

function pointerGet(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const raw of pointer.replace(/^#?\//, '').split('/').filter(Boolean)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/**
 * What the error filter needs to know about the schema: for every schema object, the alternatives (members of an anyOf
 * or oneOf) it lies in; for a property schema that is an alternative's firstProperty, that alternative.
 */
export interface SchemaIndex {
  alternativesOf: Map<object, object[]>;
  byDiscriminator: Map<object, Json>;
  alternatives: Set<object>;
  /** An alternative → the anyOf/oneOf list it belongs to. */
  groupOf: Map<object, object>;
  /** Where a schema object lies in the schema, as a JSON pointer (ajv's schemaPath is relative to a $ref's target). */
  pointerOf: Map<object, string>;
}

export function indexSchema(schema: Json): SchemaIndex {
  const index: SchemaIndex = {
    alternativesOf: new Map(),
    byDiscriminator: new Map(),
    alternatives: new Set(),
    groupOf: new Map(),
    pointerOf: new Map(),
  };
  const visit = (node: unknown, above: object[], pointer: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, above, `${pointer}/${i}`));
    if (!node || typeof node !== 'object') return;
    const n = node as Json;
    const first = n.firstProperty as string[] | undefined;
    // A schema with a firstProperty is an alternative even when it is reached through a $ref (the task definition).
    const mine = first && !above.includes(n) ? [...above, n] : above;
    index.alternativesOf.set(n, mine);
    if (!index.pointerOf.has(n)) index.pointerOf.set(n, pointer);
    const properties = n.properties as Record<string, object> | undefined;
    if (first && properties) for (const f of first) if (properties[f]) index.byDiscriminator.set(properties[f], n);
    for (const [key, value] of Object.entries(n)) {
      if ((key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
        (value as object[]).forEach((alternative, i) => {
          index.alternatives.add(alternative);
          index.groupOf.set(alternative, value);
          visit(alternative, [...mine, alternative], `${pointer}/${key}/${i}`);
        });
      } else visit(value, mine, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
  };
  visit(schema, [], '#');
  return index;
}

interface Dead {
  alternative: object;
  instancePath: string;
}

/** Alternatives that fail on what tells them apart: their other errors say nothing about the document. */
function deadAlternatives(errors: ErrorObject[], index: SchemaIndex): Dead[] {
  const dead: Dead[] = [];
  for (const e of errors) {
    const parent = e.parentSchema as Json | undefined;
    if (!parent) continue;
    const discriminated = index.byDiscriminator.get(parent);
    if (e.keyword === 'firstProperty') {
      dead.push({ alternative: parent, instancePath: e.instancePath });
    } else if (discriminated && e.keyword !== 'anyOf' && e.keyword !== 'oneOf') {
      // The alternative's first key has a value it does not take (the branch of another task).
      dead.push({ alternative: discriminated, instancePath: e.instancePath.replace(/\/[^/]+$/, '') });
    } else if (e.keyword === 'required' && index.alternatives.has(parent)) {
      // Missing the key that names the alternative (`task`, `job`), or, for alternatives told apart by the key they
      // require (a pipeline of stages / jobs / steps / extends), missing that key.
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const first = parent.firstProperty as string[] | undefined;
      if (!first || first.includes(missing)) dead.push({ alternative: parent, instancePath: e.instancePath });
    } else if ((e.keyword === 'type' || e.keyword === 'enum') && index.alternatives.has(parent)) {
      // An alternative of another shape (a string where a mapping is given), or one value of a closed list written as
      // an anyOf of enums (the task names).
      dead.push({ alternative: parent, instancePath: e.instancePath });
    }
  }
  return dead;
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** The errors that explain a failure, without those of alternatives that plainly do not apply. */
export function relevantErrors(errors: ErrorObject[], index: SchemaIndex): ErrorObject[] {
  const dead = deadAlternatives(errors, index);
  const alive = errors.filter((e) => {
    const above = index.alternativesOf.get(e.parentSchema as object) ?? [];
    return !dead.some((d) => above.includes(d.alternative) && under(e.instancePath, d.instancePath));
  });
  const isSummary = (e: ErrorObject): boolean => e.keyword === 'anyOf' || e.keyword === 'oneOf';
  // Like the language server's best match: an alternative that objects to a key which another alternative accepted
  // (there are errors inside it) is not the one the author meant — a runOnce strategy with a bad step inside is not
  // also reported as "unknown key runOnce" by the rolling and canary alternatives.
  const deeper = (e: ErrorObject): boolean => {
    if (e.keyword !== 'additionalProperties' || !index.alternatives.has(e.parentSchema as object)) return false;
    const inside = `${e.instancePath}/${String((e.params as { additionalProperty: string }).additionalProperty)}`;
    return alive.some((f) => under(f.instancePath, inside));
  };
  const concrete = alive.filter((e) => !isSummary(e) && !deeper(e));
  // An anyOf all of whose alternatives were discarded (an unknown task name, a step of no known kind) is the error itself.
  const summaries = alive.filter((e) => isSummary(e) && !concrete.some((c) => under(c.instancePath, e.instancePath)));
  const unique = new Map<string, ErrorObject>();
  for (const e of [...concrete, ...summaries])
    unique.set(`${e.instancePath}|${e.keyword}|${e.message}|${JSON.stringify(e.params)}`, e);
  const kept = [...unique.values()];
  // Keep the innermost summary only: an unknown task name also fails its step's and its job's anyOf.
  return kept.filter(
    (e) => !(isSummary(e) && kept.some((o) => o !== e && o.instancePath.startsWith(`${e.instancePath}/`))),
  );
}

function yamlPath(instancePath: string, base: string): string {
  const parts = instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = base;
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out ? `.${p}` : p;
  return out || '(document)';
}

function describe(e: ErrorObject, data: unknown): string {
  const p = e.params as Record<string, unknown>;
  const at = pointerGet(data, e.instancePath);
  const taskName = /\/inputs$/.test(e.instancePath)
    ? pointerGet(data, e.instancePath.replace(/\/inputs$/, '/task'))
    : undefined;
  const of = typeof taskName === 'string' ? ` of ${taskName}` : '';
  switch (e.keyword) {
    case 'additionalProperties':
      return of
        ? `unknown input '${String(p.additionalProperty)}'${of}`
        : `unknown key '${String(p.additionalProperty)}'`;
    case 'required':
      return of
        ? `missing required input '${String(p.missingProperty)}'${of}`
        : `missing required key '${String(p.missingProperty)}'`;
    case 'anyOf':
    case 'oneOf':
      if (/\/task$/.test(e.instancePath)) return `'${String(at)}' is not a task the schema knows (built-in or ours)`;
      return `matches none of the allowed forms`;
    default:
      return `${e.message ?? e.keyword}${typeof at === 'string' || typeof at === 'number' ? ` (value ${JSON.stringify(at)})` : ''}`;
  }
}

export interface SchemaProblem {
  /** e.g. `stages[0].jobs[0].steps[2].inputs`. */
  path: string;
  line?: number;
  /** The keyword that failed and where it lives in the schema. */
  rule: string;
  message: string;
}

/** Renames every step's inputs that differ from the schema's spelling only in case (the service ignores their case). */
function canonicalInputNames(node: unknown, names: Map<string, Map<string, string>>): void {
  if (Array.isArray(node)) return node.forEach((n) => canonicalInputNames(n, names));
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  const known = typeof o.task === 'string' ? names.get(o.task.toLowerCase()) : undefined;
  if (known && o.inputs && typeof o.inputs === 'object' && !Array.isArray(o.inputs)) {
    o.inputs = Object.fromEntries(Object.entries(o.inputs).map(([k, v]) => [known.get(k.toLowerCase()) ?? k, v]));
  }
  Object.values(o).forEach((v) => canonicalInputNames(v, names));
}

/** The line of the node at instancePath, or of the key `key` in that mapping (an unknown key is reported where it is). */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  instancePath: string,
  key?: string,
): number | undefined {
  const parts = instancePath
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = doc.contents;
  for (const part of parts) {
    if (isMap(node))
      node =
        node.get(part, true) ??
        node.items.find((p) => isScalar(p.key) && String(p.key.value).toLowerCase() === part.toLowerCase())?.value;
    else if (isSeq(node)) node = node.get(Number(part), true);
    else break;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key) && pair.key.range) return counter.linePos(pair.key.range[0]).line;
  }
  const range = (node as YamlNode | undefined)?.range;
  return range ? counter.linePos(range[0]).line : undefined;
}

/**
 * Validates YAML text as a pipeline (or, for a snippet, as one definition) and returns one problem per path and rule.
 * `lineOffset` maps snippet lines back to the Markdown file.
 */
export function validateAdoYaml(
  validator: AdoValidator,
  text: string,
  as: 'pipeline' | string = 'pipeline',
  lineOffset = 0,
): SchemaProblem[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true });
  if (doc.errors.length) {
    return doc.errors.map((e) => ({
      path: '(document)',
      line: (e.linePos?.[0].line ?? 0) + lineOffset,
      rule: 'yaml',
      message: e.message.split('\n')[0],
    }));
  }
  const data = doc.toJS() as unknown;
  canonicalInputNames(data, validator.inputNames);
  const validate = as === 'pipeline' ? validator.pipeline : validator.definition(as);
  if (validate(data)) return [];
  return relevantErrors(validate.errors ?? [], validator.index).map((e) => {
    const line = lineOf(doc, counter, e.instancePath, (e.params as { additionalProperty?: string }).additionalProperty);
    return {
      path: yamlPath(e.instancePath, ''),
      line: line === undefined ? undefined : line + lineOffset,
      rule: `${e.keyword} at ${validator.index.pointerOf.get(e.parentSchema as object) ?? e.schemaPath.replace(/\/[^/]+$/, '')}`,
      message: describe(e, data),
    };
  });
}

export function formatProblem(file: string, p: SchemaProblem): string {
  return `${file}${p.line ? `:${p.line}` : ''}: ${p.path}: ${p.message} [${p.rule}]`;
}

export interface YamlSnippet {
  file: string;
  /** 1-based line of the snippet's first YAML line in the Markdown file. */
  line: number;
  text: string;
}

/** Fenced yaml blocks of a Markdown file. */
export function yamlSnippets(file: string, markdown: string): YamlSnippet[] {
  const out: YamlSnippet[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*```ya?ml\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^\s*```\s*$/.test(lines[end])) end++;
    out.push({ file, line: start + 1, text: lines.slice(start, end).join('\n') });
    i = end;
  }
  return out;
}

/**
 * Which definition an Azure DevOps snippet is written against, or undefined when it is not Azure Pipelines YAML
 * (a GitHub workflow or step, a Kubernetes manifest, Helm values).
 */
export function adoSnippetKind(text: string): 'pipeline' | 'steps' | 'step' | 'jobs' | 'stages' | undefined {
  if (/^\s*(-\s+)?(uses|runs-on|apiVersion|on):/m.test(text)) return undefined;
  let data: unknown;
  try {
    data = parseDocument(text).toJS();
  } catch {
    return undefined;
  }
  const keys = (o: unknown): string[] => (o && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o) : []);
  if (Array.isArray(data)) {
    const first = keys(data[0])[0];
    if (first === 'task' || first === 'script' || first === 'bash' || first === 'pwsh' || first === 'checkout')
      return 'steps';
    if (first === 'job' || first === 'deployment') return 'jobs';
    if (first === 'stage') return 'stages';
    return undefined;
  }
  const top = keys(data);
  if (top[0] === 'task') return 'step';
  if (top.some((k) => ['steps', 'jobs', 'stages', 'extends'].includes(k))) return 'pipeline';
  return undefined;
}
