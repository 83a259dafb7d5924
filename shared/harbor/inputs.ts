import { httpClientFor, workspacePath } from '../capability';
import type { HttpClient, HttpOptions } from '../http/client';
import { camelCase, harborConnection, type ConnectionSpec, type InputSpec, type InputType } from '../inputs/definition';
import type { Platform } from '../platform';
import { HarborClient } from './client';

/** How a step spells its Harbor inputs: `harbor-url` always; the others plain or with a prefix (`harbor-username`). */
export type HarborPrefix = '' | 'harbor-';

type Field<N extends string, T extends InputType, Extra = unknown> = InputSpec & {
  readonly name: N;
  readonly type: T;
} & Extra;
type Needed<R extends boolean> = R extends true ? { readonly required: true } : { readonly required?: undefined };

/** The input specs of the group, typed so each step's settings object has their parsed values. */
export type HarborInputs<P extends HarborPrefix, R extends boolean> = {
  readonly 'harbor-url': Field<'harbor-url', 'url', Needed<R>>;
} & { readonly [K in `${P}username`]: Field<K, 'string', Needed<R>> } & {
  readonly [K in `${P}password`]: Field<K, 'secret', Needed<R>>;
} & { readonly [K in `${P}insecure`]: Field<K, 'boolean', { readonly default: string }> } & {
  readonly [K in `${P}ca-file`]: Field<K, 'path'>;
};

export interface HarborInputOptions<P extends HarborPrefix, R extends boolean> {
  /** For a step whose own inputs would collide (acr-token's `username` is the ACR token's). */
  prefix?: P;
  /** Groups of the connection inputs and of the TLS inputs. */
  groups: { main?: string; tls?: string };
  /** Whether the step cannot run without them; a step where Harbor is optional checks them itself. */
  required?: R;
  /** Who the account must be for this step (permissions, roles), a sentence. */
  account: string;
  /** ADO: hide the input that is not read from the service connection (the CA file) unless this rule holds. */
  visibleRule?: string;
}

/** The `account` sentence of each group, by its username spec, so `openHarbor` can name it in refusals. */
const ACCOUNTS = new WeakMap<InputSpec, string>();

/**
 * The Harbor inputs every Harbor-facing step takes, declared once so the steps spell, describe and parse them alike
 * (shared/azure/inputs.ts does the same for Azure). On Azure DevOps the URL, account and insecure switch come from the
 * Harbor service connection.
 */
export function harborInputs<const P extends HarborPrefix = '', const R extends boolean = false>(
  options: HarborInputOptions<P, R>,
): HarborInputs<P, R> {
  const prefix = options.prefix ?? '';
  const main = options.groups.main ? { group: options.groups.main } : {};
  const tls = options.groups.tls ? { group: options.groups.tls } : {};
  const required = options.required ? { required: true } : {};
  const shown = options.visibleRule ? { visibleRule: options.visibleRule } : {};
  const name = harborInputNames(prefix);
  const specs: Record<string, InputSpec> = {
    'harbor-url': {
      name: 'harbor-url',
      type: 'url',
      description: 'Harbor URL, e.g. `https://harbor.example.com`; `http://` only for a local Harbor.',
      connection: harborConnection('url'),
      ...required,
      ...main,
    },
    [name.username]: {
      name: name.username,
      type: 'string',
      description: `${options.account} Robot accounts go by their full name (\`robot$project+ci\`).`,
      connection: harborConnection('username'),
      ...required,
      ...main,
    },
    [name.password]: {
      name: name.password,
      type: 'secret',
      description: 'Password or robot secret of the account.',
      connection: harborConnection('password'),
      ...required,
      ...main,
    },
    [name.insecure]: {
      name: name.insecure,
      type: 'boolean',
      default: 'false',
      description: `Skip TLS verification of Harbor's certificate (not recommended; prefer ${name.caFile}).`,
      connection: harborConnection('insecure'),
      ...tls,
    },
    [name.caFile]: {
      name: name.caFile,
      type: 'path',
      description: "PEM file of the CA that signed Harbor's certificate.",
      ...tls,
      ...shown,
    },
  };
  ACCOUNTS.set(specs[name.username], options.account);
  return specs as HarborInputs<P, R>;
}

function harborInputNames(prefix: string) {
  return {
    url: 'harbor-url',
    username: `${prefix}username`,
    password: `${prefix}password`,
    insecure: `${prefix}insecure`,
    caFile: `${prefix}ca-file`,
  };
}

/** The ADO Harbor service connection input (`harborConnection`). */
export function harborServiceConnection(
  description: string,
  options: Pick<ConnectionSpec, 'group' | 'required' | 'visibleRule'>,
): ConnectionSpec {
  return { input: 'harborConnection', kind: 'harbor', label: 'Harbor service connection', description, ...options };
}

/** The parsed Harbor settings of a step, whatever its prefix. */
export interface HarborSettings {
  url: string;
  username?: string;
  password?: string;
  insecure: boolean;
  caFile?: string;
}

/** Reads the group's values out of a step's settings object (camelCase keys). */
export function harborSettings(settings: object, prefix: HarborPrefix = ''): HarborSettings {
  const values = settings as Record<string, unknown>;
  const name = harborInputNames(prefix);
  const get = (input: string) => values[camelCase(input)];
  return {
    url: get(name.url) as string,
    username: get(name.username) as string | undefined,
    password: get(name.password) as string | undefined,
    insecure: (get(name.insecure) as boolean | undefined) ?? false,
    caFile: get(name.caFile) as string | undefined,
  };
}

export interface HarborConnection {
  harbor: HarborClient;
  http: HttpClient;
  /** Closes the HTTP layer (and every client opened on it). */
  close(): Promise<void>;
}

/**
 * Opens the Harbor client from a step's parsed settings: the CA file (named as the user spells its input), the insecure
 * switch, the runner's proxy and CA settings, and the step's time budget.
 */
export function openHarbor(
  platform: Platform,
  inputs: Record<string, InputSpec>,
  settings: object,
  options: { prefix?: HarborPrefix } & Pick<HttpOptions, 'timeoutMs' | 'budget'> = {},
): HarborConnection {
  const { prefix = '', ...httpOptions } = options;
  const harbor = harborSettings(settings, prefix);
  const caFileSpec = inputs[harborInputNames(prefix).caFile];
  const usernameSpec = inputs[harborInputNames(prefix).username];
  const http = httpClientFor(platform, {
    caFile: harbor.caFile ? workspacePath(platform, harbor.caFile) : undefined,
    caFileInput: caFileSpec ? platform.inputName(caFileSpec) : undefined,
    insecure: harbor.insecure,
    tlsFix: harborTlsFix(platform, inputs, prefix),
    ...httpOptions,
  });
  return {
    harbor: new HarborClient(
      harbor.url,
      { username: harbor.username, password: harbor.password },
      http,
      usernameSpec ? ACCOUNTS.get(usernameSpec) : undefined,
    ),
    http,
    close: () => http.close(),
  };
}

/**
 * What fixes a TLS verification failure of Harbor, in words that name the step's own Harbor inputs (as the platform
 * spells them), so the fix is one edit away. On Azure DevOps `insecure` is a setting of the service connection, not an
 * input. The Harbor client's HTTP layer says it for every request (HttpOptions.tlsFix); clients for ARM, Key Vault or a
 * replication endpoint have their own trust and keep the generic advice.
 */
function harborTlsFix(platform: Platform, inputs: Record<string, InputSpec>, prefix: HarborPrefix): string {
  const names = harborInputNames(prefix);
  const caFile = platform.inputName(inputs[names.caFile]);
  const insecure = platform.inputName(inputs[names.insecure]);
  const insecureFix =
    platform.kind === 'azure-devops'
      ? `allow untrusted certificates on the ${insecure} service connection`
      : `${insecure} to true`;
  return `set ${caFile} to the PEM file of its CA, or ${insecureFix} (not recommended)`;
}
