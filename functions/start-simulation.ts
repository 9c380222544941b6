import { z } from 'zod';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { AsOfDate } from '../lib/http/as-of.js';
import { startSimulation } from '../lib/jobs/simulation/simulations.js';
import { ProgramConfigSchema } from '../lib/program/program-config.js';

const SimulationRequest = z.object({ asOf: AsOfDate, program: ProgramConfigSchema }).strict();

/** POST /admin/simulations: simulates a candidate program on the live base as of a date (§4.5); 422 names each bad field. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { asOf, program } = readJsonBody(event, SimulationRequest);
  return json(202, await startSimulation(asOf, program));
});
