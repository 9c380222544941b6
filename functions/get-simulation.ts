import { SimulationId } from '../lib/api-schemas.js';
import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { notFound } from '../lib/http/errors.js';
import { idFromPath } from '../lib/http/path-parameters.js';
import { describeSimulation } from '../lib/jobs/simulation/simulations.js';

/** GET /admin/simulations/{simulationId}: status and, once succeeded, tier table, moves and discount cost (§4.5). */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const simulationId = idFromPath(event, 'simulationId', SimulationId, 'simulation');
  const simulation = await describeSimulation(simulationId);
  if (!simulation) throw notFound(`Simulation ${simulationId} is not known`);
  return json(200, simulation);
});
