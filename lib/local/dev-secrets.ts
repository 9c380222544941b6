/** Safe-for-local defaults, printed at start; AWS reads real values from Secrets Manager. */
export const DEV_SECRETS = {
  WEBHOOK_SECRET: 'dev-webhook-secret-change-me',
  API_TOKEN: 'dev-api-token-change-me',
  ADMIN_TOKEN: 'dev-admin-token-change-me',
} as const;
