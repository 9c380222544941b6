import { getRun } from '../lib/adapters/dynamodb/runs.js';
import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { RunId } from '../lib/recalc/run-lifecycle.js';

/** GET /admin/runs/{runId}: a run's status, counts and progress. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const runId = idFromPath(event, 'runId', RunId, 'run');
  const run = await getRun(runId);
  if (!run) throw notFound(`Run ${runId} is not known`);
  const { asOf, status, programVersion, groups, changed, up, down, skipped, phase, startedAt, finishedAt, error } = run;
  return json(200, {
    runId,
    asOf,
    status,
    programVersion: programVersion ?? null,
    groups,
    changed,
    up,
    down,
    skipped,
    progress: { phase, mapShardsDone: run.mapDone.length, mapShards: run.mapShards, reduceShardsDone: run.reduceDone.length, reduceShards: run.reduceShards },
    startedAt,
    finishedAt: finishedAt ?? null,
    ...(error ? { error } : {}),
  });
});
