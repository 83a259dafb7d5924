import { InputError } from '../errors';
import type { Platform } from '../platform';
import { urlCredentials } from '../redact';
import { camelCase, type CapabilityDefinition, type InputSpec, type SettingsOf } from './definition';

/**
 * Reads every input of a capability in one place and returns the typed settings object. Parsing is strict and the
 * same on both platforms: booleans accept only true/false (GitHub's rule, not task-lib's silent false), a choice names
 * the accepted values, and every error names the input as the user spells it. The definition's `check` (rules between
 * inputs) runs last, so those errors too come before a step's run module loads.
 */
export function readSettings<I extends Record<string, InputSpec>>(
  definition: CapabilityDefinition<I>,
  platform: Platform,
): SettingsOf<I> {
  const settings: Record<string, unknown> = {};
  for (const spec of Object.values(definition.inputs)) {
    if (spec.platforms && platform.kind !== 'local' && !spec.platforms.includes(platform.kind)) continue;
    const raw = platform.getInput(spec);
    if (raw !== undefined && spec.type === 'secret') {
      platform.setSecret(raw);
      // What the step uses: without a secret file's trailing line break (a runner may mask only the exact value).
      const used = raw.replace(/[\r\n]+$/, '');
      if (used !== raw && used !== '') platform.setSecret(used);
    }
    // A URL with credentials inside is refused below; its userinfo is masked first so no later line can show it.
    if (raw !== undefined && spec.type === 'url') for (const part of urlCredentials(raw)) platform.setSecret(part);
    const label = platform.inputName(spec);
    const text = raw ?? spec.default;
    if (text === undefined || text === '') {
      if (spec.required) throw new InputError(`Input required and not supplied: ${label}`);
      continue;
    }
    settings[camelCase(spec.name)] = parseValue(spec, text, label);
  }
  definition.check?.(settings as SettingsOf<I>, (key) => platform.inputName(definition.inputs[key]));
  return settings as SettingsOf<I>;
}

export function parseValue(spec: InputSpec, text: string, label: string): unknown {
  switch (spec.type) {
    case 'string':
    case 'path': {
      const value = text.trim();
      if (/[\r\n]/.test(value)) throw new InputError(`Input '${label}' must be a single line`);
      return value;
    }
    case 'multiline':
      return text;
    case 'secret':
      // A password never spans lines; it is usually a secret file's trailing newline or two values pasted together.
      // (Azure Pipelines cannot even mask one: task-lib refuses multi-line secrets.)
      if (/[\r\n]/.test(text.replace(/[\r\n]+$/, '')))
        throw new InputError(
          `Input '${label}' must be a single line: a secret that spans lines cannot be masked reliably in the log`,
        );
      return text.replace(/[\r\n]+$/, '');
    case 'boolean':
      return parseBoolean(text, label);
    case 'choice':
      return parseChoice(text, spec.options ?? [], label);
    case 'list': {
      // A comma/newline list has no comments: `#v1` is a value (and an invalid tag), not a line to drop.
      const items = splitList(text, /[\n,]/, false);
      if (items.length === 0) throw new InputError(`Input '${label}' holds no values (got '${text.trim()}')`);
      return items;
    }
    case 'lines':
      return splitList(text, /\n/, true);
    case 'integer':
      return parseInteger(text, label, spec.min, spec.max);
    case 'duration': {
      // Every duration input is a limit; 0 would not mean "no limit" but "fail at once" in one place and "wait
      // forever" in another, so it is refused.
      const ms = parseDuration(text, label);
      if (ms <= 0)
        throw new InputError(
          `Input '${label}' must be longer than 0 (got '${text.trim()}'); give a limit like 90s or 10m`,
        );
      return ms;
    }
    case 'size':
      return parseSize(text, label);
    case 'url':
      return parseUrl(text, label, spec.schemes ?? ['http', 'https']);
  }
}

export function parseBoolean(text: string, label: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InputError(`Input '${label}' must be true or false (got '${text.trim()}')`);
}

export function parseChoice(text: string, options: readonly string[], label: string): string {
  const value = text.trim();
  const match = options.find((o) => o.toLowerCase() === value.toLowerCase());
  if (match === undefined) {
    throw new InputError(`Input '${label}' must be one of ${options.join(', ')} (got '${value}')`);
  }
  return match;
}

function splitList(text: string, separator: RegExp, comments: boolean): string[] {
  return text
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !(comments && s.startsWith('#')));
}

export function parseInteger(text: string, label: string, min?: number, max?: number): number {
  const value = text.trim();
  if (!/^-?\d+$/.test(value)) throw new InputError(`Input '${label}' must be a whole number (got '${value}')`);
  const n = Number(value);
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    const range = [min !== undefined ? `>= ${min}` : '', max !== undefined ? `<= ${max}` : '']
      .filter(Boolean)
      .join(' and ');
    throw new InputError(`Input '${label}' must be ${range} (got ${n})`);
  }
  return n;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90` (seconds), `30s`, `5m`, `1h30m`, `2d`, `250ms` → milliseconds. */
export function parseDuration(text: string, label: string): number {
  const value = text.trim().toLowerCase();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const parts = [...value.matchAll(/(\d+)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) {
    throw new InputError(`Input '${label}' must be a duration like 90s, 5m, 1h30m or 2d (got '${text.trim()}')`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2]], 0);
}

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
};

/** `1048576`, `512KiB`, `10MB`, `1GiB`, `16m` → bytes. */
export function parseSize(text: string, label: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = match ? (match[2] || 'b').toLowerCase() : '';
  if (!match || SIZE_UNITS[unit] === undefined) {
    throw new InputError(`Input '${label}' must be a size like 512KiB, 10MB or 1GiB (got '${text.trim()}')`);
  }
  return Math.round(Number(match[1]) * SIZE_UNITS[unit]);
}

export function parseUrl(text: string, label: string, schemes: readonly string[]): string {
  const value = text.trim();
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`Input '${label}' must be an absolute URL like ${schemes[0]}://host[:port] (got '${value}')`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!schemes.includes(scheme)) {
    throw new InputError(
      `Input '${label}' must use ${schemes.map((s) => `${s}://`).join(' or ')} (got '${scheme}://')`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(`Input '${label}' must not contain credentials; use the username and password inputs`);
  }
  return value.replace(/\/+$/, '');
}
