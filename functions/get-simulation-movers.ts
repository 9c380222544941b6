import { ResultRowsQuerySchema, SimulationId } from '../lib/api-schemas.js';
import { apiHandler, requireBearer, validate } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { resultRowsAnswer } from '../lib/http/result-rows.js';
import { MOVER_COLUMNS, simulationMovers } from '../lib/jobs/simulation/simulations.js';

/**
 * GET /admin/simulations/{simulationId}/movers[?format=csv]: the groups whose tier the candidate changes,
 * largest sum first, as JSON or CSV, in pages of at most 10,000 (`offset`, `limit`, a `link` header to the next).
 */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const simulationId = idFromPath(event, 'simulationId', SimulationId, 'simulation');
  const request = validate(ResultRowsQuerySchema, event.queryStringParameters ?? {});
  const movers = await simulationMovers(simulationId, request.offset, request.limit);
  if (!movers) throw notFound(`Simulation ${simulationId} is not known`);
  return resultRowsAnswer(event, request, movers, MOVER_COLUMNS, `${simulationId}-movers.csv`);
});
