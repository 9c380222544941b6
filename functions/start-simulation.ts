import { SimulationRequestSchema } from '../lib/api-schemas.js';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { startSimulation } from '../lib/jobs/simulation/simulations.js';

/** POST /admin/simulations: simulates a candidate program on the live base as of a date (§4.5); 422 names each bad field. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { asOf, program } = readJsonBody(event, SimulationRequestSchema);
  return json(202, await startSimulation(asOf, program));
});
