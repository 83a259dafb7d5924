import { workspacePath } from '../../capability';
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse } from 'yaml';
import { InputError, UserError } from '../../errors';
import {
  PVC_PATH,
  REPLICA_COMPONENTS,
  STORAGE_COMPONENTS,
  type AccessMode,
  type HarborOptions,
  type StorageOptions,
} from '../../helm/harbor-profiles';
import { applyAssignment, getPath, isMap, mergeValues, parseSetAssignment, type Values } from '../../helm/values';
import type { Platform } from '../../platform';
import { definition, type DeploySettings } from './definition';
import { camelCase } from '../../inputs/definition';

type InputKey = keyof typeof definition.inputs;

function labelOf(platform: Platform, name: InputKey): string {
  return platform.inputName(definition.inputs[name]);
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/i;
const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
/** Kubernetes object names (DNS-1123 subdomains): secret and class names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

const EXTERNAL_INPUTS: InputKey[] = [
  'database-host',
  'database-port',
  'database-username',
  'database-password',
  'database-name',
  'database-sslmode',
  'redis-addr',
  'redis-password',
];

/**
 * Turns the settings into the typed options the profiles are built from, refusing anything that helm or the cluster
 * would only reject later (or, worse, accept and break): malformed names and sizes, missing profile inputs, a
 * cert-manager issuer without an ingress.
 */
export function harborOptions(settings: DeploySettings, platform: Platform): HarborOptions {
  const label = (name: InputKey) => labelOf(platform, name);
  const check = (name: InputKey, value: string | undefined, pattern: RegExp, what: string) => {
    if (value !== undefined && !pattern.test(value))
      throw new InputError(`Input '${label(name)}' must be ${what} (got '${value}')`);
  };

  if (/^[a-z]+:\/\//i.test(settings.hostname)) {
    throw new InputError(
      `Input '${label('hostname')}' must be a host name like harbor.example.com, not a URL (got '${settings.hostname}')`,
    );
  }
  check('hostname', settings.hostname, HOSTNAME, 'a DNS host name like harbor.example.com');
  if (settings.expose === 'ingress' && isIP(settings.hostname.replace(/:\d+$/, ''))) {
    throw new InputError(
      `Input '${label('hostname')}' is an IP address, which an ingress cannot serve (Kubernetes accepts only DNS names as ingress hosts); use a DNS name, or ${label('expose')} 'loadBalancer' or 'clusterIP'`,
    );
  }
  check(
    'release',
    settings.release,
    /^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/,
    'a Helm release name (lower-case letters, digits, -; at most 53 characters)',
  );
  check('namespace', settings.namespace, /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes namespace name');
  check(
    'chart-version',
    settings.chartVersion,
    /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/,
    'an exact chart version like 1.19.2',
  );
  check('ingress-class', settings.ingressClass, DNS_SUBDOMAIN, 'an IngressClass name');
  check('tls-secret', settings.tlsSecret, DNS_SUBDOMAIN, 'a Secret name');
  check('storage-class', settings.storageClass, DNS_SUBDOMAIN, 'a StorageClass name');
  if (settings.certManagerIssuer !== undefined && settings.expose !== 'ingress') {
    throw new InputError(
      `Input '${label('cert-manager-issuer')}' needs ${label('expose')} 'ingress': cert-manager issues certificates for ingresses; with '${settings.expose}', give a certificate in '${label('tls-secret')}'`,
    );
  }

  const storage: HarborOptions['storage'] = {};
  for (const component of STORAGE_COMPONENTS) {
    const cls = settings[`${component}StorageClass`];
    const size = settings[`${component}Size`];
    check(`${component}-storage-class`, cls, DNS_SUBDOMAIN, 'a StorageClass name');
    check(`${component}-size`, size, QUANTITY, 'a Kubernetes quantity like 10Gi');
    const own: StorageOptions = { storageClass: cls, size };
    if (component === 'registry') own.accessMode = settings.registryAccessMode as AccessMode | undefined;
    if (component === 'jobservice') own.accessMode = settings.jobserviceAccessMode as AccessMode | undefined;
    storage[component] = own;
  }
  const replicas: HarborOptions['replicas'] = {};
  for (const component of REPLICA_COMPONENTS) replicas[component] = settings[`${component}Replicas`];

  const options: HarborOptions = {
    profile: settings.profile,
    release: settings.release,
    hostname: settings.hostname.toLowerCase(),
    adminPassword: settings.adminPassword,
    expose: settings.expose,
    ingressClass: settings.ingressClass,
    tlsSecret: settings.tlsSecret,
    certManagerIssuer: settings.certManagerIssuer,
    storageClass: settings.storageClass,
    storage,
    replicas,
  };

  const given = EXTERNAL_INPUTS.filter((name) => settings[camel(name)] !== undefined);
  if (settings.profile === 'external-services') {
    const required: InputKey[] = ['database-host', 'database-username', 'database-password', 'redis-addr'];
    const missing = required.filter((name) => settings[camel(name)] === undefined);
    if (missing.length > 0) {
      throw new InputError(
        `Profile 'external-services' needs input${missing.length > 1 ? 's' : ''} ${missing.map(label).join(', ')}`,
      );
    }
    check('database-host', settings.databaseHost, /^[A-Za-z0-9.-]+$/, 'a host name or IP address');
    check(
      'redis-addr',
      settings.redisAddr,
      /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/,
      'host:port (or a comma-separated Sentinel list)',
    );
    options.database = {
      host: settings.databaseHost,
      port: settings.databasePort,
      username: settings.databaseUsername,
      password: settings.databasePassword,
      name: settings.databaseName,
      sslmode: settings.databaseSslmode,
    };
    options.redis = { addr: settings.redisAddr, password: settings.redisPassword, tls: settings.redisTls };
  } else if (given.length > 0) {
    platform.warning(
      `${given.map(label).join(', ')} ${given.length > 1 ? 'are' : 'is'} used only by the external-services profile and ignored with '${settings.profile}'`,
    );
  }
  return options;
}

function camel(name: InputKey): keyof DeploySettings {
  return camelCase(name) as keyof DeploySettings;
}

/** Values files (in order) and then the `set` lines, as helm would apply `-f a -f b --set …`. */
export function userValues(settings: DeploySettings, platform: Platform): Values {
  let values: Values = {};
  for (const entry of settings.valuesFiles ?? []) {
    const path = workspacePath(platform, entry);
    if (!existsSync(path)) throw new InputError(`Input '${labelOf(platform, 'values-files')}': no file at ${entry}`);
    let doc: unknown;
    try {
      // As helm reads it: YAML 1.1, where `enabled: yes` is a boolean.
      doc = parse(readFileSync(path, 'utf8'), { version: '1.1' });
    } catch (error) {
      throw new InputError(
        `Input '${labelOf(platform, 'values-files')}': ${entry} is not valid YAML (${(error as Error).message.split('\n')[0]})`,
      );
    }
    if (doc === null || doc === undefined) continue;
    if (!isMap(doc))
      throw new InputError(`Input '${labelOf(platform, 'values-files')}': ${entry} must hold a map of values`);
    values = mergeValues(values, doc);
  }
  for (const line of settings.set ?? []) {
    const assignment = parseSetAssignment(line);
    if (!assignment)
      throw new InputError(`Input '${labelOf(platform, 'set')}': '${line.split('=')[0]}' is not key=value`);
    applyAssignment(values, assignment.path, assignment.value);
  }
  return values;
}

/**
 * A value that holds credentials, judged by its path as the chart names such keys: shown as (secret) in diffs even
 * when the user put it in values-files or `set`. Any segment counts, so everything below `registry.credentials` is
 * hidden; the chart's secret-bearing keys end in password, secret, token or key (`core.xsrfKey`, `secretKey`,
 * `core.tokenKey`, `internalTLS.*.key`, `azure.accountkey`, `gcs.encodedkey`, `oss.accesskeysecret`,
 * `trivy.gitHubToken`), and `core.configureUserSettings` is JSON that may carry LDAP/OIDC passwords. Hiding a
 * harmless key (`existingSecret`, a Secret's name) costs nothing; showing a secret cannot be undone.
 */
export function looksSecret(path: readonly string[]): boolean {
  return path.some((segment) => /password|passwd|secret|token|credential|htpasswd|key$|usersettings/i.test(segment));
}

/** values.yaml's harborAdminPassword: every Harbor installed from the chart without one starts with it. */
const CHART_DEFAULT_ADMIN_PASSWORD = 'Harbor12345';

/**
 * The admin password Harbor will start with, judged on what the user gave (ours + values-files + set; the chart's own
 * default must not count as "given"). It needs neither helm nor the chart's values.yaml, so it runs before any tool is
 * looked up or downloaded and before anything remote: bad input fails first.
 */
export function checkAdminPassword(values: Values, platform: Platform): void {
  if (values.existingSecretAdminPassword) return;
  if (values.harborAdminPassword === CHART_DEFAULT_ADMIN_PASSWORD) {
    throw new InputError(
      `Input '${labelOf(platform, 'admin-password')}' must not be the chart's well-known default password`,
    );
  }
  if (typeof values.harborAdminPassword !== 'string' || values.harborAdminPassword === '') {
    throw new InputError(
      `Input '${labelOf(platform, 'admin-password')}' is required (or existingSecretAdminPassword in values-files/set); Harbor would otherwise start with the well-known default password`,
    );
  }
}

/**
 * Checks on the values (ours + the user's) and on their merge with the chart's defaults, where values-files or set
 * may have changed what the inputs chose. The multi-attach rule is the seed's: a ReadWriteOnce volume attaches to one node, so a second
 * replica of registry or jobservice on another node never starts.
 */
export function checkMergedValues(values: Values, chart: Values, platform: Platform): void {
  const merged = mergeValues(chart, values);
  const persistent = getPath(merged, ['persistence', 'enabled']) !== false;
  const checks = [
    {
      component: 'registry' as const,
      uses: persistent && getPath(merged, ['persistence', 'imageChartStorage', 'type']) === 'filesystem',
      path: PVC_PATH.registry,
    },
    {
      component: 'jobservice' as const,
      uses:
        persistent &&
        ((getPath(merged, ['jobservice', 'jobLoggers']) as unknown[] | undefined) ?? ['file']).includes('file'),
      path: PVC_PATH.jobservice,
    },
  ];
  for (const { component, uses, path } of checks) {
    const replicas = Number(getPath(merged, [component, 'replicas']) ?? 1);
    const mode = getPath(merged, [...path, 'accessMode']) ?? 'ReadWriteOnce';
    if (uses && replicas > 1 && mode === 'ReadWriteOnce') {
      throw new UserError(
        `${component} with ${replicas} replicas on a ReadWriteOnce volume (${path.join('.')}) cannot work: the disk attaches to one node only, so replicas on other nodes fail with a Multi-Attach error. ` +
          `Use ReadWriteMany storage such as Azure Files (${labelOf(platform, `${component}-storage-class`)} azurefile-csi-premium-zrs, ${labelOf(platform, `${component}-access-mode`)} ReadWriteMany)` +
          `${component === 'registry' ? ', object storage (persistence.imageChartStorage.type)' : ''}, or ${labelOf(platform, `${component}-replicas`)} 1`,
      );
    }
  }
}
