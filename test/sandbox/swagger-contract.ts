import * as fs from 'node:fs';
import Ajv04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { referencePath } from '../reference';

// Checks traffic against Harbor's own Swagger 2.0 document, so the emulator cannot drift from real Harbor and a
// client cannot rely on something Harbor does not promise.

export interface ContractViolation {
  side: 'request' | 'response';
  method: string;
  path: string;
  status?: number;
  operationId?: string;
  message: string;
}

type Json = Record<string, any>;

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData';
  required?: boolean;
  type?: string;
  format?: string;
  enum?: unknown[];
  maximum?: number;
  minimum?: number;
  minLength?: number;
  maxLength?: number;
  schema?: Json;
}

export interface Operation {
  method: string;
  template: string;
  operationId: string;
  parameters: Parameter[];
  responses: Record<string, Json>;
  produces: string[];
  consumes: string[];
}

export interface MatchedOperation {
  operation: Operation;
  pathParams: Record<string, string>;
}

export interface RequestToCheck {
  method: string;
  /** Path below basePath, decoded once (Go routes on URL.Path). */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body?: Buffer;
}

export interface ResponseToCheck {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body?: Buffer;
}

const METHODS = ['get', 'put', 'post', 'delete', 'head', 'patch', 'options'];

/** go's strconv.ParseBool, which go-swagger uses for boolean parameters. */
const GO_BOOL = new Set(['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'f', 'F', 'FALSE', 'false', 'False']);

/**
 * Swagger 2.0 marks nullability with `x-nullable` (go-swagger); JSON Schema draft-04 needs it spelled out.
 * `$ref` siblings are ignored by draft-04, so a nullable ref becomes anyOf.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith('#/definitions/')) out[k] = 'harbor-swagger' + v;
    else if (k === 'properties' || k === 'definitions')
      out[k] = Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, toJsonSchema(pv)]));
    else if (k === 'example' || k === 'x-example') continue;
    else out[k] = toJsonSchema(v);
  }
  if (out['x-nullable'] === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.$ref) return { anyOf: [{ $ref: out.$ref }, { type: 'null' }] };
  }
  return out;
}

export class SwaggerContract {
  readonly basePath: string;
  private readonly operations: Operation[] = [];
  private readonly ajv: Ajv04;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly doc: Json;

  constructor(specFile = referencePath('harbor', 'swagger.yaml')) {
    this.doc = parse(fs.readFileSync(specFile, 'utf8')) as Json;
    this.basePath = this.doc.basePath ?? '';
    // strict:false because Swagger schemas carry vendor keys (x-omitempty, x-isnullable) and `example`.
    this.ajv = new Ajv04({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    const intRange = (min: number, max: number) => ({
      type: 'number' as const,
      validate: (n: number) => Number.isInteger(n) && n >= min && n <= max,
    });
    this.ajv.addFormat('int8', intRange(-128, 127));
    this.ajv.addFormat('int32', intRange(-2147483648, 2147483647));
    this.ajv.addFormat('int64', intRange(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    this.ajv.addFormat('int', intRange(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER));
    this.ajv.addFormat('uint64', intRange(0, Number.MAX_SAFE_INTEGER));
    this.ajv.addFormat('float', { type: 'number', validate: () => true });
    this.ajv.addFormat('float64', { type: 'number', validate: () => true });
    this.ajv.addSchema({
      id: 'harbor-swagger',
      definitions: (toJsonSchema({ definitions: this.doc.definitions }) as Json).definitions,
    });

    for (const [template, item] of Object.entries(this.doc.paths as Json)) {
      const shared: Parameter[] = (item.parameters ?? []).map((p: Json) => this.deref(p));
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const responses: Record<string, Json> = {};
        for (const [status, r] of Object.entries(op.responses ?? {})) responses[status] = this.deref(r as Json);
        this.operations.push({
          method: method.toUpperCase(),
          template,
          operationId: op.operationId,
          parameters: [...shared, ...(op.parameters ?? []).map((p: Json) => this.deref(p))],
          responses,
          produces: op.produces ?? this.doc.produces ?? ['application/json'],
          consumes: op.consumes ?? this.doc.consumes ?? ['application/json'],
        });
      }
    }
    // A literal segment beats a parameter (/registries/ping before /registries/{id}), as in go-swagger's router.
    const literalScore = (t: string) =>
      t
        .split('/')
        .map((s) => (s.startsWith('{') ? '0' : '1'))
        .join('');
    this.operations.sort((a, b) => (literalScore(a.template) < literalScore(b.template) ? 1 : -1));
  }

  private deref(node: Json): Json {
    if (node && typeof node.$ref === 'string' && !node.$ref.startsWith('#/definitions/')) {
      const [, section, name] = node.$ref.split('/');
      return this.doc[section][name];
    }
    return node;
  }

  allOperations(): Operation[] {
    return this.operations;
  }

  /** Finds the operation for METHOD + path (below basePath, decoded once). */
  match(method: string, apiPath: string): MatchedOperation | undefined {
    const segments = apiPath.split('/');
    for (const operation of this.operations) {
      if (operation.method !== method.toUpperCase()) continue;
      const tpl = operation.template.split('/');
      if (tpl.length !== segments.length) continue;
      const pathParams: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < tpl.length && ok; i++) {
        const m = /^\{(.+)\}$/.exec(tpl[i]);
        if (m) {
          if (segments[i] === '') ok = false;
          else pathParams[m[1]] = segments[i];
        } else if (tpl[i] !== segments[i]) ok = false;
      }
      if (ok) return { operation, pathParams };
    }
    return undefined;
  }

  /** True when some operation has this path with another method (405 rather than 404). */
  hasPath(apiPath: string): boolean {
    return ['GET', 'PUT', 'POST', 'DELETE', 'HEAD', 'PATCH'].some((m) => this.match(m, apiPath));
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(toJsonSchema(schema) as Json);
      this.validators.set(key, v);
    }
    return v;
  }

  private schemaErrors(key: string, schema: Json, value: unknown): string[] {
    const v = this.validator(key, schema);
    if (v(value)) return [];
    return (v.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
  }

  private checkSimple(p: Parameter, raw: string): string | undefined {
    const where = `${p.in} parameter ${p.name}=${JSON.stringify(raw)}`;
    if (p.type === 'integer') {
      if (!/^-?\d+$/.test(raw)) return `${where} is not an integer`;
      const n = Number(raw);
      if (p.maximum !== undefined && n > p.maximum) return `${where} exceeds maximum ${p.maximum}`;
      if (p.minimum !== undefined && n < p.minimum) return `${where} is below minimum ${p.minimum}`;
    } else if (p.type === 'number') {
      if (Number.isNaN(Number(raw)) || raw.trim() === '') return `${where} is not a number`;
    } else if (p.type === 'boolean') {
      if (!GO_BOOL.has(raw)) return `${where} is not a boolean`;
    } else if (p.type === 'string') {
      if (p.minLength !== undefined && raw.length < p.minLength) return `${where} is shorter than ${p.minLength}`;
      if (p.maxLength !== undefined && raw.length > p.maxLength) return `${where} is longer than ${p.maxLength}`;
    }
    if (p.enum && !p.enum.map(String).includes(raw)) return `${where} is not one of ${p.enum.join(', ')}`;
    return undefined;
  }

  /** Problems with a request (empty when it honours the contract). */
  checkRequest(req: RequestToCheck, matched: MatchedOperation): string[] {
    const problems: string[] = [];
    const { operation, pathParams } = matched;
    for (const p of operation.parameters) {
      let raw: string | undefined;
      if (p.in === 'path') raw = pathParams[p.name];
      else if (p.in === 'query') raw = req.query.get(p.name) ?? undefined;
      else if (p.in === 'header') {
        const h = req.headers[p.name.toLowerCase()];
        raw = Array.isArray(h) ? h.join(', ') : h;
      } else if (p.in === 'body') {
        const text = req.body?.toString('utf8') ?? '';
        if (text.trim() === '') {
          if (p.required) problems.push(`body parameter ${p.name} is required`);
          continue;
        }
        const ct = String(req.headers['content-type'] ?? '');
        if (!operation.consumes.some((c) => ct.startsWith(c)))
          problems.push(`request Content-Type ${JSON.stringify(ct)} is not one of ${operation.consumes.join(', ')}`);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          problems.push(`body parameter ${p.name} is not valid JSON`);
          continue;
        }
        for (const e of this.schemaErrors(`${operation.operationId}:body`, p.schema ?? {}, value))
          problems.push(`body ${p.name}${e}`);
        continue;
      }
      if (raw === undefined) {
        if (p.required) problems.push(`${p.in} parameter ${p.name} is required`);
        continue;
      }
      const problem = this.checkSimple(p, raw);
      if (problem) problems.push(problem);
    }
    const known = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of req.query.keys())
      if (!known.has(name)) problems.push(`query parameter ${name} is not declared for ${operation.operationId}`);
    return problems;
  }

  /**
   * Problems with a response. Harbor's error middleware answers 4xx/5xx for any operation with an `Errors` body, also
   * for statuses an operation does not list (e.g. 404 on getProject), so undeclared error statuses are accepted when
   * their body is a valid `Errors`; an undeclared success status never is.
   */
  checkResponse(res: ResponseToCheck, matched: MatchedOperation): string[] {
    const { operation } = matched;
    const problems: string[] = [];
    let declared = operation.responses[String(res.status)] ?? operation.responses.default;
    if (!declared) {
      if (res.status < 400)
        return [
          `status ${res.status} is not declared for ${operation.operationId} (declared: ${Object.keys(operation.responses).join(', ')})`,
        ];
      declared = { schema: { $ref: '#/definitions/Errors' } };
    }
    const body = res.body ?? Buffer.alloc(0);
    for (const [name, h] of Object.entries((declared.headers ?? {}) as Json)) {
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) continue;
      if (h.type === 'integer' && !/^-?\d+$/.test(String(value)))
        problems.push(`header ${name}=${JSON.stringify(value)} is not an integer`);
    }
    // HEAD answers carry no body whatever the declared schema says (RFC 9110 9.3.2).
    if (operation.method === 'HEAD') return problems;
    const schema = declared.schema as Json | undefined;
    if (!schema) {
      if (body.length > 0 && operation.method !== 'HEAD')
        problems.push(`status ${res.status} declares no body but ${body.length} bytes were sent`);
      return problems;
    }
    // `type: string` responses (logs, additions) are opaque text for go-swagger; nothing to validate structurally.
    if (schema.type === 'string') return problems;
    const ct = String(res.headers['content-type'] ?? '');
    if (!ct.startsWith('application/json')) problems.push(`Content-Type ${JSON.stringify(ct)} is not application/json`);
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return [...problems, `status ${res.status} body is not JSON`];
    }
    for (const e of this.schemaErrors(`${operation.operationId}:${res.status}`, schema, value))
      problems.push(`body${e === '' ? '' : ' '}${e}`);
    return problems;
  }
}

let shared: SwaggerContract | undefined;
/** Parsing and compiling the document takes ~0.5 s; every emulator in a process shares one instance. */
export function harborContract(): SwaggerContract {
  shared ??= new SwaggerContract();
  return shared;
}
