import { expect, vi } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import type { LocalStack } from '../../lib/local/stack.js';
import { businessToday } from '../../lib/program/program-versions.js';
import { adminRequest } from './admin.js';
import { drainQueue } from './queues.js';

/**
 * Asks for a run of `asOf` as an operator would on that day. A run may not be for a date after today (422),
 * so for a later date (tests that walk a program through coming weeks) the clock reads that date, noon in
 * Moscow, while the request is served; it reads the real time again before the run's tasks are worked off.
 */
export async function startRecalculation(stack: LocalStack, asOf: string): Promise<{ status: number; body: any }> {
  const later = asOf > businessToday();
  if (later) vi.useFakeTimers({ toFake: ['Date'], now: new Date(`${asOf}T09:00:00Z`) });
  try {
    return await adminRequest(stack, 'POST', '/admin/recalculate', { asOf });
  } finally {
    if (later) vi.useRealTimers();
  }
}

/** GET /admin/runs/{runId}. */
export async function readRun(stack: LocalStack, runId: string): Promise<any> {
  return (await adminRequest(stack, 'GET', `/admin/runs/${runId}`)).body;
}

/** Workers taking a run's tasks side by side, as concurrent Lambda invocations of the worker do. */
const WORKERS = 4;

/** Starts a run through the admin API and delivers its tasks to the worker until the run has succeeded. */
export async function recalculate(stack: LocalStack, asOf: string): Promise<any> {
  const started = await startRecalculation(stack, asOf);
  expect(started.status).toBe(202);
  await drainQueue(stack, 'recalcTasks', recalcWorker, { concurrency: WORKERS });
  const run = await readRun(stack, started.body.runId);
  expect(run.status).toBe('succeeded');
  return run;
}
