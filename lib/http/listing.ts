import { z } from 'zod';
import { InvalidCursorError } from '../adapters/dynamodb/jobs.js';
import { validationFailed } from './errors.js';

/** `?limit=20&cursor=…` of a listing newest first: `cursor` is the `next` of the page before. */
export const ListQuery = z.object({
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be 1 to 100').max(100, 'must be 1 to 100').default(20),
  cursor: z.string().min(1).max(2000).optional(),
});

/** Reads one page of a listing; a cursor the listing did not hand out is a 422 naming `cursor`. */
export async function listingPage<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw validationFailed([{ path: 'cursor', message: error.message }]);
    throw error;
  }
}
