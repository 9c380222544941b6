import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { queueNamed, redriveStatus } from '../lib/use-cases/redrive-queue.js';

/** GET /admin/queues/{queue}/redrive: the latest move of the queue's dead letters, and how many are there now. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  return json(200, await redriveStatus(queueNamed(event.pathParameters?.queue ?? '')));
});
