import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { z } from 'zod';
import { requiredEnv } from '../config.js';

const SecretsSchema = z.object({
  webhookSecret: z.string().min(16),
  apiToken: z.string().min(16),
  adminToken: z.string().min(16),
});
/** The shared secrets: webhook HMAC key and the two bearer tokens. */
export type AppSecrets = z.infer<typeof SecretsSchema>;

/**
 * Reads the secrets: from Secrets Manager when SECRETS_ARN is set (cached five minutes, so a rotation
 * reaches warm functions), otherwise from the environment (local stack and tests).
 */
export async function loadSecrets(): Promise<AppSecrets> {
  const arn = process.env.SECRETS_ARN;
  if (arn) {
    const raw = await getSecret(arn, { transform: 'json', maxAge: 300 });
    return SecretsSchema.parse(raw);
  }
  return SecretsSchema.parse({
    webhookSecret: requiredEnv('WEBHOOK_SECRET'),
    apiToken: requiredEnv('API_TOKEN'),
    adminToken: requiredEnv('ADMIN_TOKEN'),
  });
}
