import { InvalidCursorError } from '../adapters/dynamodb/jobs.js';
import { validationFailed } from './errors.js';

/** Reads one page of a listing newest first; a cursor the listing did not hand out is a 422 naming `cursor`. */
export async function listingPage<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InvalidCursorError) throw validationFailed([{ path: 'cursor', message: error.message }]);
    throw error;
  }
}
