import type { Route } from './context';
import { accountRoutes } from './products/account';
import { catalogRoutes } from './products/catalog';
import { functionRoutes } from './products/functions';
import { iamRoutes } from './products/iam';
import { k8sRoutes } from './products/k8s';
import { k8sNodeRoutes } from './products/k8s-nodes';
import { keyManagerRoutes } from './products/key-manager';
import { lbRoutes } from './products/lb';
import { metadataRoutes } from './products/metadata';
import { productCatalogRoutes } from './products/product-catalog';
import { rdbRoutes } from './products/rdb';
import { secretRoutes } from './products/secret';
import { ipamRoutes, vpcRoutes } from './products/vpc';
import { vpcgwRoutes } from './products/vpcgw';

/** Every route the sandbox serves, per product. */
export function allRoutes(): Route[] {
  return [
    ...metadataRoutes(),
    ...catalogRoutes(),
    ...productCatalogRoutes(),
    ...accountRoutes(),
    ...iamRoutes(),
    ...vpcRoutes(),
    ...ipamRoutes(),
    ...vpcgwRoutes(),
    ...lbRoutes(),
    ...k8sRoutes(),
    ...k8sNodeRoutes(),
    ...rdbRoutes(),
    ...secretRoutes(),
    ...keyManagerRoutes(),
    ...functionRoutes(),
  ];
}
