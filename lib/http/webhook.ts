import { program } from '../config.js';
import type { UpsertOutcome } from '../adapters/dynamodb/versioned-store.js';
import { webhookSchemas } from '../ingest/schemas.js';
import { logger } from '../observability.js';
import { storedForms } from '../use-cases/ingest.js';
import { apiHandler, json, readSignedWebhook } from './api.js';

type Schemas = ReturnType<typeof webhookSchemas>;
type BatchItems<K extends keyof Schemas> = Schemas[K] extends { parse(value: unknown): infer Out } ? Out[K & keyof Out] : never;

/**
 * Builds a webhook handler: admit the signed batch (all of it valid or none of it stored), store it with
 * one use case, answer 202 with how many items changed the store.
 */
export function webhookHandler<K extends keyof Schemas>(kind: K, ingest: (items: BatchItems<K>) => Promise<UpsertOutcome>) {
  const schema = webhookSchemas(program, storedForms)[kind];
  return apiHandler(async (event) => {
    const body = (await readSignedWebhook(event, schema)) as Record<K, BatchItems<K>>;
    const outcome = await ingest(body[kind]);
    logger.info('webhook batch stored', { kind, ...outcome });
    return json(202, outcome);
  });
}
