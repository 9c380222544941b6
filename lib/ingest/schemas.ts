import { z } from 'zod';
import { toBusinessDate } from '../domain/business-date.js';
import { parseAmount, type MinorUnits } from '../domain/money.js';
import { LOCALES, ORDER_STATUSES, type ProgramConfig } from '../program/program-config.js';

/** ERP identifiers: 1–64 of `[A-Za-z0-9._:-]` (§2.2). */
export const ErpId = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1–64 characters of A-Z a-z 0-9 . _ : -');
const Version = z.number().int('must be an integer').min(0).max(Number.MAX_SAFE_INTEGER);

/** An amount in currency units becomes integer minor units, or an issue naming the problem (§2.1). */
export const Amount = z.union([z.string(), z.number()]).transform((value, ctx): MinorUnits => {
  const parsed = parseAmount(value);
  if (parsed.ok) return parsed.minor;
  const messages = {
    negative: 'must not be negative',
    not_a_number: 'must be a number',
    too_many_decimals: 'must have at most 2 decimals',
    too_many_digits: 'must have at most 15 integer digits',
    malformed: 'must be a decimal number such as "125000.50"',
  } as const;
  ctx.addIssue({ code: 'custom', message: messages[parsed.problem] });
  return z.NEVER;
});

/** Schemas that depend on the program (currency, time zone). */
export function webhookSchemas(program: ProgramConfig) {
  const BusinessDateField = z.string().transform((value, ctx) => {
    const date = toBusinessDate(value, program.timeZone);
    if (date) return date;
    ctx.addIssue({ code: 'custom', message: 'must be YYYY-MM-DD or an ISO-8601 date-time with offset' });
    return z.NEVER;
  });

  const OrderLine = z.object({
    sku: z.string().min(1).max(64),
    brand: z.string().min(1).max(200),
    quantity: z.number().int().positive(),
    amount: Amount,
  });

  const Order = z.object({
    orderId: ErpId,
    clientId: ErpId,
    date: BusinessDateField,
    amount: Amount,
    currency: z.string().refine((currency) => currency === program.currency, `must be ${program.currency}, the program currency`),
    status: z.enum(ORDER_STATUSES),
    version: Version,
    lines: z.array(OrderLine).max(1000).optional(),
  });

  const Client = z.object({
    clientId: ErpId,
    name: z.string().min(1).max(300),
    email: z.email().nullish(),
    groupId: ErpId.nullish(),
    version: Version,
  });

  const Group = z.object({
    groupId: ErpId,
    name: z.string().min(1).max(300),
    contacts: z.array(z.email()).max(50).default([]),
    locale: z.enum(LOCALES).default(program.defaultLocale),
    version: Version,
  });

  const Price = z.object({
    sku: z.string().min(1).max(64),
    brand: z.string().min(1).max(200),
    price: Amount,
    version: Version,
  });

  const batchOf = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'must hold 1 to 500 items').max(500, 'must hold 1 to 500 items');

  return {
    orders: z.object({ orders: batchOf(Order) }),
    clients: z.object({ clients: batchOf(Client) }),
    groups: z.object({ groups: batchOf(Group) }),
    prices: z.object({ prices: batchOf(Price) }),
  };
}

type Schemas = ReturnType<typeof webhookSchemas>;
export type OrderInput = z.output<Schemas['orders']>['orders'][number];
export type ClientInput = z.output<Schemas['clients']>['clients'][number];
export type GroupInput = z.output<Schemas['groups']>['groups'][number];
export type PriceInput = z.output<Schemas['prices']>['prices'][number];
