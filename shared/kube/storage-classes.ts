import { stringify } from 'yaml';
import { UserError } from '../errors';
import type { Platform } from '../platform';
import type { PrivateDir } from './private-dir';

/**
 * The zone-redundant storage classes of the seed's availability-zones script: an Azure Disk class whose disks survive
 * a zone outage and re-attach in another zone (database, Redis, Trivy), and an Azure Files class that many pods in
 * different zones mount at once (registry, job logs).
 */
export const ZRS_STORAGE_CLASSES = [
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'managed-csi-premium-zrs', labels: { 'app.kubernetes.io/managed-by': 'harbor-pipelines' } },
    provisioner: 'disk.csi.azure.com',
    parameters: { skuName: 'Premium_ZRS' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'azurefile-csi-premium-zrs', labels: { 'app.kubernetes.io/managed-by': 'harbor-pipelines' } },
    provisioner: 'file.csi.azure.com',
    parameters: { skuName: 'Premium_ZRS' },
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
    allowVolumeExpansion: true,
    // AKS's built-in azurefile classes use these: SMB ignores fsGroup, so Harbor's non-root users need open modes.
    mountOptions: ['dir_mode=0777', 'file_mode=0777', 'mfsymlinks', 'cache=strict', 'actimeo=30', 'nosharesock'],
  },
] as const;

export function storageClassManifest(): string {
  return ZRS_STORAGE_CLASSES.map((doc) => stringify(doc)).join('---\n');
}

/**
 * Applies the classes with kubectl (idempotent: unchanged classes stay unchanged). A class that exists with other
 * parameters cannot be updated — Kubernetes forbids it — and is reported as such.
 */
export async function applyZrsStorageClasses(
  platform: Platform,
  kubectl: string,
  env: Record<string, string>,
  dir: PrivateDir,
  dryRun: boolean,
): Promise<string[]> {
  const file = dir.write('zrs-storage-classes.yaml', storageClassManifest());
  const args = ['apply', '-f', file, ...(dryRun ? ['--dry-run=server'] : [])];
  const res = await platform.exec(kubectl, args, { env, silent: true, ignoreReturnCode: true });
  if (res.code !== 0) {
    const error =
      res.stderr
        .trim()
        .split(/\r?\n/)
        .find((l) => l.trim()) ?? `exit code ${res.code}`;
    const hint =
      /forbidden/i.test(error) && /parameters/i.test(error)
        ? ' — a storage class with this name exists with other parameters, which Kubernetes cannot change; delete it or set create-zrs-storage-classes to false'
        : '';
    throw new UserError(`kubectl apply of the ZRS storage classes failed: ${error}${hint}`);
  }
  for (const line of res.stderr.split(/\r?\n/).filter((l) => l.trim())) platform.warning(`kubectl: ${line.trim()}`);
  return res.stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}
