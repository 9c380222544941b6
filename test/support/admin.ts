import { expect, vi } from 'vitest';
import { handler as recalcWorker } from '../../functions/recalc-worker.js';
import { DEV_SECRETS, type LocalStack } from '../../lib/local/stack.js';
import { businessToday } from '../../lib/program/program-versions.js';
import { drainQueue } from './queues.js';

/**
 * Calls an admin route with the admin token (or the given one, or none), a JSON body when given. The answer
 * body is parsed when it is JSON, and kept as text otherwise (CSV).
 */
export async function adminRequest(
  stack: LocalStack,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  token: string | null = DEV_SECRETS.ADMIN_TOKEN,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${stack.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, body: text && isJson ? JSON.parse(text) : text || undefined };
}

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

/** Starts a run through the admin API and delivers its tasks to the worker until it has succeeded. */
export async function recalculate(stack: LocalStack, asOf: string): Promise<any> {
  const started = await startRecalculation(stack, asOf);
  expect(started.status).toBe(202);
  await drainQueue(stack, 'recalcTasks', recalcWorker);
  const run = await adminRequest(stack, 'GET', `/admin/runs/${started.body.runId}`);
  expect(run.body.status).toBe('succeeded');
  return run.body;
}
