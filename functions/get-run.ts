import { getRun } from '../lib/adapters/dynamodb/runs.js';
import type { RunView } from '../lib/api-schemas.js';
import { notFound } from '../lib/http/errors.js';
import { apiHandler, json, requireBearer } from '../lib/http/api.js';

/** GET /admin/runs/{runId}: a run's status, counts and progress. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const runId = event.pathParameters?.runId ?? '';
  const run = await getRun(runId);
  if (!run) throw notFound(`Run ${runId} is not known`);
  const { asOf, status, groups, changed, up, down, skipped, phase, startedAt, finishedAt, error } = run;
  return json(200, {
    runId,
    asOf,
    status,
    groups,
    changed,
    up,
    down,
    skipped,
    progress: { phase, mapShardsDone: run.mapDone.length, mapShards: run.mapShards, reduceShardsDone: run.reduceDone.length, reduceShards: run.reduceShards },
    startedAt,
    finishedAt: finishedAt ?? null,
    ...(error ? { error } : {}),
  } satisfies RunView);
});
