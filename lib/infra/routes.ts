/**
 * The HTTP routes and the function serving each: API Gateway (CDK) and the local gateway both read this.
 * `functionName` is the file under functions/ without its extension.
 */
export interface RouteDefinition {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly functionName: string;
}

export const routes: readonly RouteDefinition[] = [
  { method: 'POST', path: '/webhooks/orders', functionName: 'ingest-orders' },
  { method: 'POST', path: '/webhooks/clients', functionName: 'ingest-clients' },
  { method: 'POST', path: '/webhooks/groups', functionName: 'ingest-groups' },
  { method: 'POST', path: '/webhooks/prices', functionName: 'ingest-prices' },
  { method: 'GET', path: '/groups/{groupId}', functionName: 'get-group' },
  { method: 'GET', path: '/groups/{groupId}/history', functionName: 'get-group-history' },
  { method: 'GET', path: '/groups/{groupId}/prices', functionName: 'get-group-prices' },
  { method: 'POST', path: '/admin/recalculate', functionName: 'start-recalculation' },
  { method: 'GET', path: '/admin/runs', functionName: 'list-runs' },
  { method: 'GET', path: '/admin/runs/{runId}', functionName: 'get-run' },
  { method: 'GET', path: '/admin/runs/{runId}/changes', functionName: 'get-run-changes' },
  { method: 'POST', path: '/admin/runs/{runId}/resume', functionName: 'resume-run' },
  { method: 'GET', path: '/admin/deliveries', functionName: 'list-deliveries' },
  { method: 'POST', path: '/admin/deliveries/sweep', functionName: 'sweep-deliveries' },
  { method: 'POST', path: '/admin/queues/{queue}/redrive', functionName: 'start-redrive' },
  { method: 'GET', path: '/admin/queues/{queue}/redrive', functionName: 'get-redrive' },
  { method: 'POST', path: '/admin/repair/applied-date', functionName: 'reset-applied-date' },
  { method: 'GET', path: '/admin/program', functionName: 'get-program' },
  { method: 'PUT', path: '/admin/program', functionName: 'put-program' },
  { method: 'PUT', path: '/admin/groups/{groupId}/floor', functionName: 'put-group-floor' },
  { method: 'DELETE', path: '/admin/groups/{groupId}/floor', functionName: 'delete-group-floor' },
];
