import { apiHandler, requireBearer, validate } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { resultRowsAnswer, ResultRowsQuery } from '../lib/http/result-rows.js';
import { MOVER_COLUMNS, simulationMovers } from '../lib/jobs/simulation/simulations.js';

/**
 * GET /admin/simulations/{simulationId}/movers[?format=csv]: the groups whose tier the candidate changes,
 * largest sum first, as JSON or CSV, in pages of at most 10,000 (`offset`, `limit`, a `link` header to the next).
 */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const simulationId = event.pathParameters?.simulationId ?? '';
  const request = validate(ResultRowsQuery, event.queryStringParameters ?? {});
  const movers = await simulationMovers(simulationId, request.offset, request.limit);
  if (!movers) throw notFound(`Simulation ${simulationId} is not known`);
  return resultRowsAnswer(event, request, movers, MOVER_COLUMNS, `${simulationId}-movers.csv`);
});
