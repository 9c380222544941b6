import { expect } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { DEV_SECRETS, type LocalStack } from '../../lib/local/stack.js';
import { getJson } from './local-stack.js';
import { drainQueue } from './queues.js';

/** POST /admin/recalculate for as-of date D with the admin token. */
export async function startRecalculation(stack: LocalStack, asOf: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${stack.url}/admin/recalculate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEV_SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ asOf }),
  });
  return { status: response.status, body: await response.json() };
}

/** GET /admin/runs/{runId}. */
export async function readRun(stack: LocalStack, runId: string): Promise<any> {
  return (await getJson(stack, `/admin/runs/${runId}`, DEV_SECRETS.ADMIN_TOKEN)).body;
}

/** Starts a run through the admin API and delivers its tasks to the worker until the run has succeeded. */
export async function recalculate(stack: LocalStack, asOf: string): Promise<any> {
  const started = await startRecalculation(stack, asOf);
  expect(started.status).toBe(202);
  await drainQueue(stack, 'recalcTasks', recalcWorker);
  const run = await readRun(stack, started.body.runId);
  expect(run.status).toBe('succeeded');
  return run;
}
