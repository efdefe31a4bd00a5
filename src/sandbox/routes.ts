import type { Route } from './context';
import { accountRoutes } from './products/account';
import { iamRoutes } from './products/iam';
import { ipamRoutes, vpcRoutes } from './products/vpc';
import { vpcgwRoutes } from './products/vpcgw';

/** Every route the sandbox serves, per product. */
export function allRoutes(): Route[] {
  return [
    ...accountRoutes(),
    ...iamRoutes(),
    ...vpcRoutes(),
    ...ipamRoutes(),
    ...vpcgwRoutes(),
  ];
}
