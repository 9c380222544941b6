import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { describeProgram } from '../lib/program/program-versions.js';

/** GET /admin/program: the program version in effect today, and every version, newest first. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  return json(200, await describeProgram());
});
