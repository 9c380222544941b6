import { apiHandler, json, requireBearer } from '../lib/http/api.js';
import { queueNamed, redriveQueue } from '../lib/use-cases/redrive-queue.js';

/** POST /admin/queues/{queue}/redrive: moves the queue's dead letters back to it (SQS message move task), or answers with the move under way. */
export const handler = apiHandler(async (event) => {
  await requireBearer(event, 'admin');
  const result = await redriveQueue(queueNamed(event.pathParameters?.queue ?? ''));
  return json(202, result);
});
