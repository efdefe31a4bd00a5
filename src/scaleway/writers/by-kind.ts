import type { ResourceKind } from '../../core/model';
import { projectWriter } from './account';
import { backupCopyWriter } from './functions';
import { apiKeyWriter, applicationWriter, policyWriter } from './iam';
import { clusterWriter, poolWriter } from './k8s';
import { keyWriter } from './key-manager';
import { lbAclWriter, lbBackendWriter, lbCertificateWriter, lbFrontendWriter, loadBalancerWriter } from './lb';
import { bucketWriter } from './object-storage';
import { databaseWriter } from './rdb';
import { secretReplicaWriter, secretWriter } from './secret-manager';
import { veleroInstallWriter, veleroScheduleWriter } from './velero';
import { privateNetworkWriter } from './vpc';
import { gatewayIpWriter, gatewayNetworkWriter, publicGatewayWriter } from './vpc-gateway';
import type { Writer } from './writer';

/*
 * The writer of each kind, from its product's file (src/scaleway/products.ts names the product).
 * Every kind of core is in one of the two tables: a writer, or the reason apply never writes it.
 */

export const WRITERS: Readonly<Partial<Record<ResourceKind, Writer>>> = {
  project: projectWriter,
  application: applicationWriter, policy: policyWriter, 'api-key': apiKeyWriter,
  'private-network': privateNetworkWriter,
  'gateway-ip': gatewayIpWriter, 'public-gateway': publicGatewayWriter, 'gateway-network': gatewayNetworkWriter,
  cluster: clusterWriter, pool: poolWriter,
  'load-balancer': loadBalancerWriter, 'lb-backend': lbBackendWriter, 'lb-frontend': lbFrontendWriter, 'lb-certificate': lbCertificateWriter, 'lb-acl': lbAclWriter,
  database: databaseWriter,
  key: keyWriter, 'key-replica': keyWriter,
  secret: secretWriter, 'secret-replica': secretReplicaWriter,
  bucket: bucketWriter,
  'backup-copy': backupCopyWriter,
  'velero-install': veleroInstallWriter, 'velero-schedule': veleroScheduleWriter,
};

/** Kinds apply never writes, and why. */
export const NOT_WRITTEN: Readonly<Partial<Record<ResourceKind, string>>> = {
  'lb-ip': 'the load balancer\'s flexible IP is made and released with it (assignFlexibleIp, releaseIp)',
  sso: 'Keycloak runs inside the project; it is not a Scaleway API resource',
};
