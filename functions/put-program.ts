import { z } from 'zod';
import { isBusinessDate } from '../lib/domain/business-date.js';
import { apiHandler, json, readJsonBody, requireBearer } from '../lib/http/api.js';
import { ProgramConfigSchema } from '../lib/program/program-config.js';
import { publishProgramVersion } from '../lib/program/program-versions.js';

const ProgramVersionRequest = z
  .object({
    effectiveFrom: z.string().refine(isBusinessDate, 'must be a business date YYYY-MM-DD'),
    program: ProgramConfigSchema,
  })
  .strict();

/** PUT /admin/program: stores a new program version effective from a date after the latest run. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const { effectiveFrom, program } = readJsonBody(event, ProgramVersionRequest);
  return json(201, await publishProgramVersion(effectiveFrom, program));
});
