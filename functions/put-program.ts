import { ProgramVersionRequestSchema, type ProgramVersionStored } from '../lib/api-schemas.js';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { publishProgramVersion } from '../lib/program/program-versions.js';

/** PUT /admin/program: stores a new program version effective from a date after the latest run. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { effectiveFrom, program } = readJsonBody(event, ProgramVersionRequestSchema, 'no version was stored');
  return json(201, (await publishProgramVersion(effectiveFrom, program)) satisfies ProgramVersionStored);
});
