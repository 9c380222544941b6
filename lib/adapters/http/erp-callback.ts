import { signWebhook } from '../../http/signature.js';

/** How long the ERP gets to answer a callback before the attempt counts as failed (and is retried). */
const ERP_TIMEOUT_MS = 5_000;

/** The ERP answered a callback with a status other than 2xx; the SQS record fails and comes back. */
export class ErpCallbackError extends Error {
  override name = 'ErpCallbackError';
}

/**
 * POSTs a JSON body to the ERP signed as in §3.2 (`X-Signature: t=…,v1=…` over the exact bytes sent).
 * Resolves on a 2xx; a non-2xx answer, a network error or no answer within 5 s throws.
 */
export async function postSignedToErp(url: string, body: unknown, secret: string): Promise<void> {
  const raw = JSON.stringify(body);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature': signWebhook(secret, raw) },
    body: raw,
    signal: AbortSignal.timeout(ERP_TIMEOUT_MS),
  });
  await response.arrayBuffer(); // drain the body so the connection can be reused
  if (!response.ok) throw new ErpCallbackError(`ERP callback ${url} answered ${response.status}`);
}
