import type { JsonObject } from './json';

/**
 * An API error answered as Scaleway answers it. `body: null` means an empty body (the 429 that
 * Envoy sends); `contentType` lets a few errors (Envoy's 503) be plain text like the real edge.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonObject | null,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body?.message === 'string' ? body.message : `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

/** The standard not_found body (vpc, vpc-gw, ipam, k8s, rdb, iam, account, secret, key-manager). */
export function notFound(resource: string, resourceId: string): ApiError {
  return new ApiError(404, { message: 'resource is not found', resource, resource_id: resourceId, type: 'not_found' });
}

/** The LB and Functions APIs answer 404 without `type` (recorded: `{"message":"lbs not Found"}`). */
export function bareNotFound(message: string): ApiError {
  return new ApiError(404, { message });
}

export interface ArgumentDetail {
  argument_name: string;
  reason: 'required' | 'format' | 'constraint' | 'unknown';
  help_message: string;
}

export function invalidArguments(details: ArgumentDetail[]): ApiError {
  return new ApiError(400, { details: details as unknown as JsonObject[], message: 'invalid argument(s)', type: 'invalid_arguments' });
}

export function transientState(resource: string, resourceId: string, currentState: string): ApiError {
  return new ApiError(409, {
    message: 'resource is in a transient state',
    resource,
    resource_id: resourceId,
    current_state: currentState,
    type: 'transient_state',
  });
}

export function preconditionFailed(precondition: string, help: string): ApiError {
  return new ApiError(412, { help_message: help, message: 'precondition is not respected', precondition, type: 'precondition_failed' });
}

export function quotasExceeded(resource: string, quota: number, current: number, scope: { organization_id?: string; project_id?: string }): ApiError {
  return new ApiError(403, {
    details: [{ current, quota, resource, ...scope }],
    message: 'quota(s) exceeded for this resource',
    type: 'quotas_exceeded',
  });
}

export function alreadyExists(resource: string, resourceId: string): ApiError {
  return new ApiError(409, { message: 'resource already exists', resource, resource_id: resourceId, type: 'already_exists' });
}

export type AuthFailure = 'invalid_argument' | 'not_found' | 'expired';

export function deniedAuthentication(reason: AuthFailure): ApiError {
  return new ApiError(401, { message: 'authentication is denied', method: 'api_key', reason, type: 'denied_authentication' });
}

export function permissionsDenied(resource: string, action: 'read' | 'write'): ApiError {
  return new ApiError(403, { details: [{ action, resource }], message: 'insufficient permissions', type: 'permissions_denied' });
}

/** Exactly what Envoy answered in the recorded 429s: empty body, this header, no Retry-After. */
export function rateLimited(): ApiError {
  return new ApiError(429, null, { 'X-Envoy-Ratelimited': 'true' });
}
