/**
 * The HTTP routes and the function serving each: API Gateway (CDK) and the local gateway both read this.
 * `functionName` is the file under functions/ without its extension. Every route also needs its request and
 * response schemas in lib/http/api-contract.ts (the OpenAPI document is built from them): typecheck and the
 * OpenAPI test fail until it has them.
 */
export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly functionName: string;
  /**
   * Who may call it, checked in the function: a webhook signature (§3.2), the API or the admin bearer
   * token (§3.1), or anyone (`public`: the API's own description).
   */
  readonly auth: 'signature' | 'api' | 'admin' | 'public';
}

export const routes = [
  { method: 'POST', path: '/webhooks/orders', functionName: 'ingest-orders', auth: 'signature' },
  { method: 'POST', path: '/webhooks/clients', functionName: 'ingest-clients', auth: 'signature' },
  { method: 'POST', path: '/webhooks/groups', functionName: 'ingest-groups', auth: 'signature' },
  { method: 'POST', path: '/webhooks/prices', functionName: 'ingest-prices', auth: 'signature' },
  { method: 'GET', path: '/groups/{groupId}', functionName: 'get-group', auth: 'api' },
  { method: 'GET', path: '/groups/{groupId}/history', functionName: 'get-group-history', auth: 'api' },
  { method: 'GET', path: '/groups/{groupId}/prices', functionName: 'get-group-prices', auth: 'api' },
  { method: 'POST', path: '/admin/recalculate', functionName: 'start-recalculation', auth: 'admin' },
  { method: 'GET', path: '/admin/runs', functionName: 'list-runs', auth: 'admin' },
  { method: 'GET', path: '/admin/runs/{runId}', functionName: 'get-run', auth: 'admin' },
  { method: 'GET', path: '/admin/runs/{runId}/changes', functionName: 'get-run-changes', auth: 'admin' },
  { method: 'POST', path: '/admin/runs/{runId}/resume', functionName: 'resume-run', auth: 'admin' },
  { method: 'GET', path: '/admin/deliveries', functionName: 'list-deliveries', auth: 'admin' },
  { method: 'POST', path: '/admin/deliveries/sweep', functionName: 'sweep-deliveries', auth: 'admin' },
  { method: 'POST', path: '/admin/queues/{queue}/redrive', functionName: 'start-redrive', auth: 'admin' },
  { method: 'GET', path: '/admin/queues/{queue}/redrive', functionName: 'get-redrive', auth: 'admin' },
  { method: 'POST', path: '/admin/repair/applied-date', functionName: 'reset-applied-date', auth: 'admin' },
  { method: 'GET', path: '/admin/program', functionName: 'get-program', auth: 'admin' },
  { method: 'PUT', path: '/admin/program', functionName: 'put-program', auth: 'admin' },
  { method: 'PUT', path: '/admin/groups/{groupId}/floor', functionName: 'put-group-floor', auth: 'admin' },
  { method: 'DELETE', path: '/admin/groups/{groupId}/floor', functionName: 'delete-group-floor', auth: 'admin' },
  { method: 'GET', path: '/admin/overview', functionName: 'get-overview', auth: 'admin' },
  { method: 'POST', path: '/admin/simulations', functionName: 'start-simulation', auth: 'admin' },
  { method: 'GET', path: '/admin/simulations', functionName: 'list-simulations', auth: 'admin' },
  { method: 'GET', path: '/admin/simulations/{simulationId}', functionName: 'get-simulation', auth: 'admin' },
  { method: 'GET', path: '/admin/simulations/{simulationId}/movers', functionName: 'get-simulation-movers', auth: 'admin' },
  { method: 'POST', path: '/admin/reports', functionName: 'start-report', auth: 'admin' },
  { method: 'GET', path: '/admin/reports', functionName: 'list-reports', auth: 'admin' },
  { method: 'GET', path: '/admin/reports/{reportId}', functionName: 'get-report', auth: 'admin' },
  { method: 'GET', path: '/admin/reports/{reportId}/rows', functionName: 'get-report-rows', auth: 'admin' },
  { method: 'GET', path: '/console', functionName: 'get-console', auth: 'public' },
  { method: 'GET', path: '/openapi.json', functionName: 'get-openapi', auth: 'public' },
] as const satisfies readonly RouteDefinition[];

type KeyOf<R> = R extends { readonly method: infer M extends string; readonly path: infer P extends string } ? `${M} ${P}` : never;

/** `METHOD /path` of each route, as API Gateway names a route key: the contract registry is keyed by it. */
export type RouteKey = KeyOf<(typeof routes)[number]>;

/** A route's key, e.g. `GET /groups/{groupId}`. */
export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
