import { InputError } from '../errors';

/** ARM's name rules (swagger path parameters), checked before anything is sent. */
const NAME_RULES: Record<
  'registry' | 'scopeMap' | 'token' | 'resourceGroup',
  { pattern: RegExp; min: number; max: number; what: string }
> = {
  registry: { pattern: /^[a-zA-Z0-9]*$/, min: 5, max: 50, what: 'letters and digits' },
  scopeMap: { pattern: /^[a-zA-Z0-9-_]*$/, min: 5, max: 50, what: 'letters, digits, - and _' },
  token: { pattern: /^[a-zA-Z0-9-]*$/, min: 5, max: 50, what: 'letters, digits and -' },
  resourceGroup: { pattern: /^[-\w._()]+$/, min: 1, max: 90, what: 'letters, digits, -, _, ., ( and )' },
};

export function checkName(kind: keyof typeof NAME_RULES, value: string, label: string): string {
  const rule = NAME_RULES[kind];
  if (!rule.pattern.test(value) || value.length < rule.min || value.length > rule.max) {
    throw new InputError(
      `Input '${label}' must be ${rule.min}-${rule.max} characters of ${rule.what} (got '${value}')`,
    );
  }
  return value;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function checkSubscription(value: string, label: string): string {
  if (!UUID.test(value))
    throw new InputError(`Input '${label}' must be a subscription id (a GUID), not a name (got '${value}')`);
  return value;
}

/** The registry input: its name, never the login server (a common mix-up), within ARM's rules. */
export function checkRegistryName(value: string, label: string): string {
  if (value.includes('.')) {
    throw new InputError(
      `Input '${label}' takes the registry name (${value.split('.')[0]}), not the login server (got '${value}')`,
    );
  }
  return checkName('registry', value, label);
}
