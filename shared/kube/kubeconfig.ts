import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { InputError, UserError } from '../errors';
import type { Platform, ServiceConnection } from '../platform';
import type { PrivateDir } from './private-dir';

export interface ClusterAccess {
  /** The kubeconfig file helm and kubectl use (KUBECONFIG); undefined means the runner's default. */
  kubeconfig?: string;
  /** Where it came from, for the log. */
  source: string;
}

/**
 * Resolves how to reach the cluster: an Azure DevOps Kubernetes service connection, a GitHub `kubeconfig` input
 * (content or path), or the runner's own kubeconfig. Credentials inside are registered as secrets, and a kubeconfig
 * we materialise is written 0600 into the step's private directory, which is removed afterwards.
 */
export function resolveClusterAccess(
  platform: Platform,
  options: { connectionInput: string; kubeconfig?: string; kubeconfigLabel: string },
  dir: PrivateDir,
): ClusterAccess {
  const connection = platform.getServiceConnection(options.connectionInput);
  if (connection) {
    const text = kubeconfigFromConnection(connection, options.connectionInput);
    registerSecrets(platform, text);
    return { kubeconfig: dir.write('kubeconfig', text), source: `service connection ${options.connectionInput}` };
  }
  const value = options.kubeconfig?.trim();
  if (!value) return { source: process.env.KUBECONFIG ? 'KUBECONFIG of the runner' : '~/.kube/config of the runner' };
  if (/[\r\n]/.test(value) || /^(apiVersion|kind|clusters|\{)/.test(value)) {
    checkKubeconfig(value, options.kubeconfigLabel);
    registerSecrets(platform, value);
    return { kubeconfig: dir.write('kubeconfig', `${value}\n`), source: `input ${options.kubeconfigLabel} (content)` };
  }
  const path = value.startsWith('~/')
    ? join(homedir(), value.slice(2))
    : isAbsolute(value)
      ? value
      : resolve(platform.workspaceDir(), value);
  if (!existsSync(path)) throw new InputError(`Input '${options.kubeconfigLabel}': no kubeconfig file at ${value}`);
  if (statSync(path).isDirectory())
    throw new InputError(
      `Input '${options.kubeconfigLabel}': ${value} is a directory; give the kubeconfig file (or its content)`,
    );
  const text = readFileSync(path, 'utf8');
  checkKubeconfig(text, options.kubeconfigLabel);
  registerSecrets(platform, text);
  return { kubeconfig: path, source: `input ${options.kubeconfigLabel} (${value})` };
}

/**
 * What Azure DevOps' own Kubernetes tasks do: the Kubeconfig scheme carries a kubeconfig (and optionally the context
 * to use); Service Account and Azure Subscription connections carry the API server URL, its CA and a base64 service
 * account token.
 */
export function kubeconfigFromConnection(connection: ServiceConnection, label: string): string {
  const type = connection.data('authorizationType') ?? 'Kubeconfig';
  if (type === 'Kubeconfig') {
    const text = connection.auth.kubeconfig;
    if (!text)
      throw new UserError(`Service connection '${label}' has no kubeconfig; edit the connection and paste one`);
    const context = connection.auth.clusterContext;
    if (!context) return text;
    const doc = checkKubeconfig(text, label);
    doc['current-context'] = context;
    // JSON is valid kubeconfig YAML and keeps every string a string.
    return JSON.stringify(doc, null, 2);
  }
  if (type === 'ServiceAccount' || type === 'AzureSubscription') {
    const token = connection.auth.apiToken;
    if (!token || !connection.url) {
      throw new UserError(
        type === 'AzureSubscription'
          ? `Service connection '${label}' (AzureSubscription) carries no service-account token (an Entra ID cluster); leave it empty and name the cluster with the Azure subscription connection (azureSubscription), resourceGroup and clusterName instead`
          : `Service connection '${label}' (${type}) carries no service-account token; use a Kubeconfig connection instead`,
      );
    }
    const insecure = connection.data('acceptUntrustedCerts') === 'true';
    const cluster: Record<string, unknown> = { server: connection.url };
    if (insecure) cluster['insecure-skip-tls-verify'] = true;
    else if (connection.auth.serviceAccountCertificate)
      cluster['certificate-authority-data'] = connection.auth.serviceAccountCertificate;
    return JSON.stringify(
      {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'cluster', cluster }],
        users: [{ name: 'service-account', user: { token: Buffer.from(token, 'base64').toString('utf8') } }],
        contexts: [{ name: 'service-account', context: { cluster: 'cluster', user: 'service-account' } }],
        'current-context': 'service-account',
      },
      null,
      2,
    );
  }
  throw new UserError(
    `Service connection '${label}' uses authorization type '${type}', which is not supported; use a Kubeconfig or Service Account connection`,
  );
}

export function checkKubeconfig(text: string, label: string): Record<string, unknown> {
  let doc: unknown;
  try {
    // kubectl and helm read kubeconfigs as YAML 1.1.
    doc = parse(text, { version: '1.1' });
  } catch {
    throw new InputError(`'${label}' is not a valid kubeconfig (YAML does not parse)`);
  }
  if (typeof doc !== 'object' || doc === null || !Array.isArray((doc as { clusters?: unknown }).clusters)) {
    throw new InputError(`'${label}' is not a kubeconfig (no clusters list)`);
  }
  return doc as Record<string, unknown>;
}

const SECRET_FIELDS = new Set([
  'token',
  'password',
  'client-key-data',
  'access-token',
  'refresh-token',
  'client-secret',
  'id-token',
]);

/** Masks every credential a kubeconfig holds, so an error echoing one never prints it. */
export function registerSecrets(platform: Platform, text: string): void {
  let doc: unknown;
  try {
    doc = parse(text, { version: '1.1' });
  } catch {
    return;
  }
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (SECRET_FIELDS.has(key) && typeof value === 'string' && value) platform.setSecret(value);
        else visit(value);
      }
    }
  };
  visit(doc);
}
