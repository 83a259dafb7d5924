import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { referencePath } from '../reference';

const cache = new Map<string, ValidateFunction>();

/**
 * A validator for one of the reference schemas. The task schema is draft-04 and has a `\:` pattern that ajv rejects
 * with unicodeRegExp on, so that option is off for all.
 */
export function schemaValidator(relativePath: string): ValidateFunction {
  const cached = cache.get(relativePath);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(referencePath(relativePath), 'utf8')) as { $schema?: string };
  const options = { strict: false, allErrors: true, unicodeRegExp: false, validateFormats: true };
  const ajv = schema.$schema?.includes('draft-04') ? new AjvDraft04(options) : new Ajv(options);
  addFormats(ajv as unknown as Ajv);
  const validate = ajv.compile(schema);
  cache.set(relativePath, validate);
  return validate;
}

export function schemaErrors(relativePath: string, data: unknown): string[] {
  const validate = schemaValidator(relativePath);
  return validate(data)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
