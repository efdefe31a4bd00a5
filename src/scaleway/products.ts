import type { ResourceKind } from '../core/model';

/*
 * The product each resource kind belongs to. It names the files: the writer of a kind is in
 * src/scaleway/writers/<product>.ts and its reader in src/scaleway/readers/<product>.ts (a test
 * holds this for every kind core declares). Products are Scaleway's API groups (Account, IAM,
 * VPC, Public Gateways, Kubernetes Kapsule, Load Balancer, Managed Databases, Key Manager, Secret
 * Manager, Object Storage, Serverless Functions), plus what runs inside a cluster or a project:
 * Velero and Keycloak.
 */

export type Product =
  | 'account' | 'iam' | 'vpc' | 'vpc-gateway' | 'k8s' | 'lb' | 'rdb' | 'key-manager' | 'secret-manager'
  | 'object-storage' | 'functions' | 'velero' | 'keycloak';

/** Every kind of core's ResourceKind (a Record, so the compiler holds that none is missing). */
export const PRODUCT_OF_KIND: Readonly<Record<ResourceKind, Product>> = {
  project: 'account',
  application: 'iam', policy: 'iam', 'api-key': 'iam',
  'private-network': 'vpc',
  'gateway-ip': 'vpc-gateway', 'public-gateway': 'vpc-gateway', 'gateway-network': 'vpc-gateway',
  cluster: 'k8s', pool: 'k8s',
  'load-balancer': 'lb', 'lb-ip': 'lb', 'lb-backend': 'lb', 'lb-frontend': 'lb', 'lb-certificate': 'lb', 'lb-acl': 'lb',
  database: 'rdb',
  key: 'key-manager', 'key-replica': 'key-manager',
  secret: 'secret-manager', 'secret-replica': 'secret-manager',
  bucket: 'object-storage',
  'backup-copy': 'functions',
  'velero-install': 'velero', 'velero-schedule': 'velero',
  sso: 'keycloak',
};
