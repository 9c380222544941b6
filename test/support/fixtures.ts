import { randomBytes } from 'node:crypto';

/** A unique id prefix, so tests in one file do not see each other's clients and groups. */
export const uniqueId = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/** A counted order in the program currency (amount in roubles as the ERP sends it). */
export function order(fields: { orderId: string; clientId: string; date: string; amount: string | number; status?: string; version?: number }) {
  return { currency: 'RUB', status: 'paid', version: 1, ...fields };
}
