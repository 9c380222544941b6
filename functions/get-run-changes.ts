import { getRun, RunId } from '../lib/jobs/recalculation/runs.js';
import { listRunChanges } from '../lib/adapters/dynamodb/run-changes.js';
import { RunChangesQuerySchema, type RunChanges } from '../lib/api-schemas.js';
import { apiHandler, json, requireBearer, validate } from '../lib/http/api.js';
import { csv } from '../lib/http/csv.js';
import { notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { RUN_CHANGE_COLUMNS, runChangeRow } from '../lib/use-cases/run-report.js';

/** GET /admin/runs/{runId}/changes[?format=csv]: every tier change the run made (group, from, to, sum, reason). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const runId = idFromPath(event, 'runId', RunId, 'run');
  const { format } = validate(RunChangesQuerySchema, event.queryStringParameters ?? {});
  const run = await getRun(runId);
  if (!run) throw notFound(`Run ${runId} is not known`);
  const rows = (await listRunChanges(runId)).map(runChangeRow);
  if (format === 'csv') return csv(RUN_CHANGE_COLUMNS, rows, `run-${runId}-changes.csv`);
  return json(200, { runId, asOf: run.asOf, status: run.status, changes: rows } satisfies RunChanges);
});
