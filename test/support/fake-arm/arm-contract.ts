import * as fs from 'node:fs';
import Ajv04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { referencePath } from '../../reference';

/**
 * Checks ARM traffic against Azure's own specs — ACR (containerregistry.json, api-version 2025-04-01) and AKS
 * (aks/managedClusters.json, 2026-10-01) — and the common ARM types they reference, so the fake cannot drift from
 * Azure and the client cannot send what Azure does not accept. One contract per spec; each has its own api-version.
 */

type Json = Record<string, any>;

/** The spec's external refs are relative to its place in azure-rest-api-specs; the copy keeps types.json elsewhere. */
const COMMON_PREFIX = '../../../../../../common-types/resource-management/v6/types.json';
/** AKS's identity type refers to the delegation variant of the managed identity types. */
const IDENTITY_PREFIX = '../../../../../../common-types/resource-management/v6/managedidentitywithdelegation.json';

/** ajv schema ids: the spec itself, the common types, the identity types. */
type Doc = string;

export interface ArmOperation {
  method: string;
  template: string;
  operationId: string;
  parameters: Json[];
  responses: Record<string, Json>;
  /** The contract (spec) the operation belongs to. */
  contract: ArmContract;
  longRunning: boolean;
  finalStateVia?: string;
}

export class ArmContract {
  readonly apiVersion: string;
  readonly spec: Json;
  readonly common: Json;
  readonly identity: Json;
  readonly msi: Json;
  /** The ajv id of the spec document. */
  readonly id: string;
  private readonly operations: ArmOperation[] = [];
  private readonly ajv: Ajv04;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(file: string[] = ['azure', 'containerregistry.json'], id = 'acr') {
    this.id = id;
    this.spec = JSON.parse(fs.readFileSync(referencePath(...file), 'utf8')) as Json;
    this.common = JSON.parse(
      fs.readFileSync(referencePath('azure', 'common-types', 'resource-management', 'v6', 'types.json'), 'utf8'),
    ) as Json;
    this.identity = JSON.parse(
      fs.readFileSync(
        referencePath('azure', 'common-types', 'resource-management', 'v6', 'managedidentitywithdelegation.json'),
        'utf8',
      ),
    ) as Json;
    this.msi = JSON.parse(
      fs.readFileSync(
        referencePath('azure', 'common-types', 'resource-management', 'v6', 'managedidentity.json'),
        'utf8',
      ),
    ) as Json;
    this.apiVersion = this.spec.info.version;
    this.ajv = new Ajv04({ strict: false, allErrors: true, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addFormat('arm-id', {
      type: 'string',
      validate: (s: string) => /^\/subscriptions\//i.test(s) || /^\/providers\//i.test(s),
    });
    // Key Vault's data plane (keyvault/keys.json) carries key material and signatures as unpadded base64url.
    this.ajv.addFormat('base64url', /^[A-Za-z0-9_-]*$/);
    // …and its attribute times (created, updated, nbf, exp) as `unixtime`: whole seconds since the epoch.
    this.ajv.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
    this.ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
    this.ajv.addFormat('double', { type: 'number', validate: () => true });
    this.ajv.addFormat('float', { type: 'number', validate: () => true });
    this.ajv.addSchema({ id, definitions: rewrite(this.spec.definitions, id, id) });
    this.ajv.addSchema({ id: 'arm-common', definitions: rewrite(this.common.definitions, 'arm-common', id) });
    this.ajv.addSchema({ id: 'arm-identity', definitions: rewrite(this.identity.definitions, 'arm-identity', id) });
    this.ajv.addSchema({ id: 'arm-msi', definitions: rewrite(this.msi.definitions, 'arm-msi', id) });
    for (const [template, item] of Object.entries(this.spec.paths as Json)) {
      for (const method of ['get', 'put', 'patch', 'post', 'delete', 'head']) {
        const op = item[method];
        if (!op) continue;
        this.operations.push({
          method: method.toUpperCase(),
          template,
          operationId: op.operationId,
          parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Json) => this.resolve(p, id)),
          responses: op.responses ?? {},
          contract: this,
          longRunning: op['x-ms-long-running-operation'] === true,
          finalStateVia: op['x-ms-long-running-operation-options']?.['final-state-via'],
        });
      }
    }
  }

  /** Follows one `$ref` (local or into the common types). */
  resolve(node: Json, doc: Doc): Json {
    if (!node || typeof node.$ref !== 'string') return node;
    const [file, pointer] = node.$ref.split('#');
    const targetDoc = docOf(file, doc, this.id);
    const target =
      { 'arm-common': this.common, 'arm-identity': this.identity, 'arm-msi': this.msi }[targetDoc] ?? this.spec;
    const found = pointer
      .split('/')
      .filter(Boolean)
      .reduce((n: Json, key) => n?.[key], target);
    if (!found) throw new Error(`unresolvable $ref ${node.$ref}`);
    return this.resolve(found, targetDoc);
  }

  match(method: string, path: string): { operation: ArmOperation; params: Record<string, string> } | undefined {
    const segments = path.split('/');
    for (const operation of this.operations) {
      if (operation.method !== method) continue;
      const tpl = operation.template.split('/');
      if (tpl.length !== segments.length) continue;
      const params: Record<string, string> = {};
      // ARM routes path segments case-insensitively.
      const ok = tpl.every((t, i) => {
        const m = /^\{(.+)\}$/.exec(t);
        if (m) {
          params[m[1]] = decodeURIComponent(segments[i]);
          return segments[i] !== '';
        }
        return t.toLowerCase() === segments[i].toLowerCase();
      });
      if (ok) return { operation, params };
    }
    return undefined;
  }

  /** Problems with a request: api-version, path parameters, body schema, and properties Azure would ignore or reject. */
  checkRequest(
    operation: ArmOperation,
    params: Record<string, string>,
    query: URLSearchParams,
    headers: Record<string, unknown>,
    body: string,
  ): string[] {
    const problems: string[] = [];
    for (const p of operation.parameters) {
      if (p.in === 'query') {
        const value = query.get(p.name);
        if (value === null) {
          if (p.required) problems.push(`query parameter ${p.name} is required`);
        } else if (p.name === 'api-version' && value !== this.apiVersion) {
          problems.push(`api-version ${value} is not the spec's ${this.apiVersion}`);
        } else if (Array.isArray(p.enum) && !p.enum.includes(value)) {
          problems.push(`query parameter ${p.name}='${value}' is not one of ${p.enum.join(', ')}`);
        }
      } else if (p.in === 'path') {
        const value = params[p.name] ?? '';
        if (p.minLength !== undefined && value.length < p.minLength)
          problems.push(`path parameter ${p.name}='${value}' is shorter than ${p.minLength}`);
        if (p.maxLength !== undefined && value.length > p.maxLength)
          problems.push(`path parameter ${p.name}='${value}' is longer than ${p.maxLength}`);
        if (p.pattern && !new RegExp(p.pattern).test(value))
          problems.push(`path parameter ${p.name}='${value}' does not match ${p.pattern}`);
        if (p.format === 'uuid' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
          problems.push(`path parameter ${p.name}='${value}' is not a uuid`);
      } else if (p.in === 'body') {
        if (body.trim() === '') {
          if (p.required) problems.push(`body ${p.name} is required`);
          continue;
        }
        if (!String(headers['content-type'] ?? '').startsWith('application/json'))
          problems.push(`Content-Type ${String(headers['content-type'])} is not application/json`);
        let value: unknown;
        try {
          value = JSON.parse(body);
        } catch {
          problems.push(`body ${p.name} is not JSON`);
          continue;
        }
        problems.push(
          ...this.schemaErrors(`${operation.operationId}:request`, p.schema, value).map((e) => `body ${e}`),
        );
        problems.push(...this.strictness(value, p.schema, this.id, '').map((e) => `body ${e}`));
      }
    }
    const declared = new Set(operation.parameters.filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of query.keys())
      if (!declared.has(name)) problems.push(`query parameter ${name} is not declared for ${operation.operationId}`);
    return problems;
  }

  /** Problems with a response the fake is about to send (a fake bug, never the client's). */
  checkResponse(operation: ArmOperation, status: number, headers: Record<string, string>, body: string): string[] {
    const declared = operation.responses[String(status)] ?? operation.responses.default;
    if (!declared) return [`status ${status} is not declared for ${operation.operationId}`];
    const problems: string[] = [];
    for (const name of Object.keys(declared.headers ?? {})) {
      if (headers[name.toLowerCase()] === undefined)
        problems.push(`status ${status} of ${operation.operationId} must carry ${name}`);
    }
    if (declared.schema) problems.push(...this.validate(`${operation.operationId}:${status}`, declared.schema, body));
    else if (body !== '') problems.push(`status ${status} of ${operation.operationId} declares no body`);
    return problems;
  }

  /** Validates a body against a schema from the spec or the common types (`#/definitions/X` of either document). */
  validate(key: string, schema: Json, body: string): string[] {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return ['body is not JSON'];
    }
    return this.schemaErrors(key, schema, value);
  }

  /** An operation-status body (Azure-AsyncOperation), per the common OperationStatusResult. */
  checkOperationStatus(body: string): string[] {
    return this.validate(
      'OperationStatusResult',
      { $ref: `${COMMON_PREFIX}#/definitions/OperationStatusResult` },
      body,
    );
  }

  private schemaErrors(key: string, schema: Json, value: unknown): string[] {
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(rewrite(schema, this.id, this.id));
      this.validators.set(key, v);
    }
    if (v(value)) return [];
    return (v.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}`);
  }

  /**
   * What JSON Schema cannot say about requests: a property the spec does not define (Azure ignores or rejects it) or a
   * read-only one (the client echoing a GET back).
   */
  private strictness(value: unknown, schemaNode: Json, doc: Doc, path: string): string[] {
    const schema = this.resolve(schemaNode, doc);
    const inDoc = schemaNode?.$ref ? docOf(String(schemaNode.$ref).split('#')[0], doc, this.id) : doc;
    if (Array.isArray(value))
      return schema.items ? value.flatMap((v, i) => this.strictness(v, schema.items, inDoc, `${path}/${i}`)) : [];
    if (!value || typeof value !== 'object') return [];
    const properties = this.properties(schema, inDoc);
    if (properties.size === 0 || schema.additionalProperties) return [];
    const problems: string[] = [];
    for (const [key, v] of Object.entries(value as Json)) {
      const prop = properties.get(key);
      if (!prop) {
        problems.push(`${path}/${key} is not defined by the spec`);
        continue;
      }
      const resolved = this.resolve(prop.schema, prop.doc);
      if (resolved.readOnly === true || prop.schema.readOnly === true) problems.push(`${path}/${key} is read-only`);
      problems.push(...this.strictness(v, prop.schema, prop.doc, `${path}/${key}`));
    }
    return problems;
  }

  private properties(schema: Json, doc: Doc): Map<string, { schema: Json; doc: Doc }> {
    const out = new Map<string, { schema: Json; doc: Doc }>();
    for (const part of schema.allOf ?? []) {
      const partDoc = part.$ref ? docOf(String(part.$ref).split('#')[0], doc, this.id) : doc;
      for (const [k, v] of this.properties(this.resolve(part, doc), partDoc)) out.set(k, v);
    }
    for (const [k, v] of Object.entries((schema.properties ?? {}) as Json)) out.set(k, { schema: v, doc });
    return out;
  }
}

/** Which document a `$ref` file part points into, seen from document `doc` (an empty file part: the same one). */
function docOf(file: string, doc: Doc, specId: string): Doc {
  if (file === COMMON_PREFIX) return 'arm-common';
  if (file === IDENTITY_PREFIX) return 'arm-identity';
  if (file === '') return doc;
  // The common documents refer to each other by their file names.
  if (file.endsWith('/types.json') || file === 'types.json') return 'arm-common';
  if (file.endsWith('managedidentitywithdelegation.json')) return 'arm-identity';
  if (file.endsWith('managedidentity.json')) return 'arm-msi';
  return specId;
}

/** Rewrites the documents' refs onto their ajv schema ids. */
function rewrite(node: unknown, doc: Doc, specId: string): any {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, doc, specId));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === '$ref' && typeof v === 'string') {
      const [file, pointer] = v.split('#');
      out.$ref = `${docOf(file, doc, specId)}#${pointer}`;
    } else if (k === 'x-ms-examples' || k === 'example') {
      continue;
    } else {
      out[k] =
        k === 'properties' || k === 'definitions'
          ? Object.fromEntries(Object.entries(v as Json).map(([pk, pv]) => [pk, rewrite(pv, doc, specId)]))
          : rewrite(v, doc, specId);
    }
  }
  return out;
}

let shared: ArmContract | undefined;
export function armContract(): ArmContract {
  shared ??= new ArmContract();
  return shared;
}

let aks: ArmContract | undefined;
/** Microsoft.ContainerService managedClusters (AKS), api-version 2026-10-01. */
export function aksContract(): ArmContract {
  aks ??= new ArmContract(['azure', 'aks', 'managedClusters.json'], 'aks');
  return aks;
}

let keyVault: ArmContract | undefined;
/** Key Vault's data plane for keys (keyvault/data-plane stable/7.5 keys.json): the fake Key Vault checks against it. */
export function keyVaultContract(): ArmContract {
  keyVault ??= new ArmContract(['azure', 'keyvault', 'keys.json'], 'keyvault');
  return keyVault;
}
