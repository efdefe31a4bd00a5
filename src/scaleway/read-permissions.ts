import type { ResourceKind } from '../core/model';

/*
 * What each reader of the inventory needs from IAM, so that a refused read can say what to grant.
 * These are not values the file chooses (those come from the catalogs): they describe which
 * Scaleway product each of our own readers calls. Names as Scaleway's IAM reference lists them
 * (docs: iam/reference-content/permission-sets, validated 2026-03-20); `AllProductsReadOnly`
 * covers every project-scoped read, `IAMReadOnly` and `ProjectReadOnly` are organisation-wide.
 */

export interface ReadPermission {
  /** Any one of these lets the read through (the narrowest first). */
  sets: string[];
  scope: 'organization' | 'projects';
  /** What the permission set alone does not give. */
  note?: string;
}

const projects = (set: string, note?: string): ReadPermission => ({ sets: [set, 'AllProductsReadOnly'], scope: 'projects', ...(note ? { note } : {}) });

export const READ_PERMISSIONS: Partial<Record<ResourceKind, ReadPermission>> = {
  project: { sets: ['ProjectReadOnly'], scope: 'organization' },
  application: { sets: ['IAMReadOnly'], scope: 'organization' },
  policy: { sets: ['IAMReadOnly'], scope: 'organization' },
  'api-key': { sets: ['IAMReadOnly'], scope: 'organization' },
  'private-network': projects('PrivateNetworksReadOnly'),
  'public-gateway': projects('VPCGatewayReadOnly'),
  'gateway-network': projects('VPCGatewayReadOnly'),
  'gateway-ip': projects('VPCGatewayReadOnly'),
  cluster: projects('KubernetesReadOnly'),
  pool: projects('KubernetesReadOnly'),
  'velero-schedule': projects('KubernetesReadOnly', 'the cluster credentials must also allow listing velero.io Schedules'),
  'load-balancer': projects('LoadBalancersReadOnly'),
  'lb-frontend': projects('LoadBalancersReadOnly'),
  'lb-acl': projects('LoadBalancersReadOnly'),
  database: projects('RelationalDatabasesReadOnly'),
  'lb-backend': projects('LoadBalancersReadOnly'),
  'lb-certificate': projects('LoadBalancersReadOnly'),
  'velero-install': projects('KubernetesReadOnly', 'the cluster credentials must also allow reading the velero namespace\'s Deployment and BackupStorageLocations'),
  key: projects('KeyManagerReadOnly'),
  'key-replica': projects('KeyManagerReadOnly'),
  secret: projects('SecretManagerReadOnly'),
  'secret-replica': projects('SecretManagerReadOnly'),
  bucket: projects('ObjectStorageReadOnly'),
  'backup-copy': projects('FunctionsReadOnly'),
};
