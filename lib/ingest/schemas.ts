import { z } from 'zod';
import { BUSINESS_YEARS, toBusinessDate } from '../domain/business-date.js';
import { parseAmount, type MinorUnits } from '../domain/money.js';
import { LOCALES, ORDER_STATUSES, type ProgramConfig } from '../program/program-config.js';
import { attributeSizes, MAX_ITEM_BYTES } from './item-size.js';
import { JsonNumber } from './lossless-json.js';

/**
 * ERP identifiers (§2.2): 1–64 of `[A-Za-z0-9._:-]` (ASCII, so 64 bytes at most), and not `.` or `..`,
 * which a URL path resolves away: every id can be read back with `GET /groups/{id}`.
 */
export const ErpId = z
  .string('must be a string')
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1–64 characters of A-Z a-z 0-9 . _ : -')
  .refine((id) => id !== '.' && id !== '..', 'must not be "." or "..", which a URL path cannot carry');

const isJsonNumber = (value: unknown): value is JsonNumber => value instanceof JsonNumber;

/** A JSON object of these fields: checked first, because z.object alone would take a JsonNumber (a JS object) for one. */
function jsonObject<T extends z.core.$ZodLooseShape>(shape: T) {
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value) && !isJsonNumber(value);
  return z.custom<Record<string, unknown>>(isObject, 'must be a JSON object').pipe(z.object(shape));
}

/**
 * A whole number as the lossless parser keeps it, written in plain digits (no fraction, no exponent), within
 * [min, max]; checked on its text, so 9007199254740993 is refused rather than rounded.
 */
function jsonInteger(min: number, max: number) {
  const range = `must be an integer from ${min} to ${max}`;
  // The meta is what the OpenAPI document says of it (a custom check has no JSON Schema of its own).
  return z.custom<JsonNumber>(isJsonNumber, range).meta({ type: 'integer', minimum: min, maximum: max }).transform((value, ctx): number => {
    if (!/^(?:0|-?[1-9]\d*)$/.test(value.text)) {
      ctx.addIssue({ code: 'custom', message: `${range}, written in digits only` });
      return z.NEVER;
    }
    const integer = BigInt(value.text);
    if (integer < BigInt(min) || integer > BigInt(max)) {
      ctx.addIssue({ code: 'custom', message: range });
      return z.NEVER;
    }
    return Number(integer);
  });
}

const Version = jsonInteger(0, Number.MAX_SAFE_INTEGER);
const Quantity = jsonInteger(1, Number.MAX_SAFE_INTEGER);

const AMOUNT_PROBLEMS = {
  negative: 'must not be negative',
  not_a_number: 'must be a number',
  too_many_decimals: 'must have at most 2 decimals',
  too_many_digits: 'must have at most 15 integer digits',
  malformed: 'must be a decimal number such as "125000.50" or 125000.5',
} as const;

/**
 * An amount in currency units, as a decimal string or a JSON number, becomes integer minor units or an
 * issue naming the problem (§2.1). A JSON number is read from its source text: no float in between.
 */
export const Amount = z
  .custom<string | JsonNumber>((value) => typeof value === 'string' || isJsonNumber(value), AMOUNT_PROBLEMS.malformed)
  .meta({
    type: ['string', 'number'],
    description: 'An amount in currency units: a decimal string or a JSON number, at most 15 integer digits and 2 decimals, not negative',
    examples: ['125000.50', 125000.5],
  })
  .transform((value, ctx): MinorUnits => {
    const parsed = parseAmount(typeof value === 'string' ? value : value.text);
    if (parsed.ok) return parsed.minor;
    ctx.addIssue({ code: 'custom', message: AMOUNT_PROBLEMS[parsed.problem] });
    return z.NEVER;
  });

/** The webhook items, whose fields depend on the program (currency, time zone). */
function itemSchemas(program: ProgramConfig) {
  const BusinessDateField = z.string('must be a string').transform((value, ctx) => {
    const date = toBusinessDate(value, program.timeZone);
    if (date) return date;
    ctx.addIssue({
      code: 'custom',
      message: `must be YYYY-MM-DD or an ISO-8601 date-time with offset, falling in years ${BUSINESS_YEARS.first}–${BUSINESS_YEARS.last} in ${program.timeZone}`,
    });
    return z.NEVER;
  });

  const OrderLine = jsonObject({
    sku: z.string().min(1).max(64),
    brand: z.string().min(1).max(200),
    quantity: Quantity,
    amount: Amount,
  });

  return {
    orders: jsonObject({
      orderId: ErpId,
      clientId: ErpId,
      date: BusinessDateField,
      amount: Amount,
      currency: z.string().refine((currency) => currency === program.currency, `must be ${program.currency}, the program currency`),
      status: z.enum(ORDER_STATUSES),
      version: Version,
      lines: z.array(OrderLine).max(1000).optional(),
    }),
    clients: jsonObject({
      clientId: ErpId,
      name: z.string().min(1).max(300),
      email: z.email().max(254).nullish(),
      groupId: ErpId.nullish(),
      version: Version,
    }),
    groups: jsonObject({
      groupId: ErpId,
      name: z.string().min(1).max(300),
      contacts: z.array(z.email().max(254)).max(50).default([]),
      locale: z.enum(LOCALES).default(program.defaultLocale),
      version: Version,
    }),
    prices: jsonObject({
      sku: z.string().min(1).max(64),
      brand: z.string().min(1).max(200),
      price: Amount,
      version: Version,
    }),
  };
}

type Items = ReturnType<typeof itemSchemas>;
export type OrderInput = z.output<Items['orders']>;
export type ClientInput = z.output<Items['clients']>;
export type GroupInput = z.output<Items['groups']>;
export type PriceInput = z.output<Items['prices']>;

/** How each kind of item is stored (the ingest use case's items), so its size is measured as DynamoDB will. */
export interface StoredForms {
  orders(order: OrderInput, receivedAt: string): Record<string, unknown>;
  clients(client: ClientInput, receivedAt: string): Record<string, unknown>;
  groups(group: GroupInput, receivedAt: string): Record<string, unknown>;
  prices(price: PriceInput, receivedAt: string): Record<string, unknown>;
}

/** A `receivedAt` of the width ingest stores (`toISOString()` of any year 0–9999), to measure stored forms. */
const RECEIVED_AT_SAMPLE = new Date(0).toISOString();

/**
 * Refuses an item whose stored form DynamoDB could not hold (400 KB in UTF-8 bytes), naming the field
 * that takes the most room, so a batch is refused whole at the schema instead of half-stored by the store.
 * Measured only once the item is otherwise valid (its stored form is built from valid fields).
 */
function fitsOneItem<T extends object>(storedForm: (item: T, receivedAt: string) => Record<string, unknown>) {
  return (payload: z.core.ParsePayload<T>) => {
    if (payload.issues.length > 0) return;
    const sizes = attributeSizes(storedForm(payload.value, RECEIVED_AT_SAMPLE));
    let total = 0;
    let largest: [name: string, size: number] = ['', 0];
    for (const [name, size] of sizes) {
      total += size;
      if (size > largest[1]) largest = [name, size];
    }
    if (total <= MAX_ITEM_BYTES) return;
    const [name, size] = largest;
    payload.issues.push({
      code: 'custom',
      input: payload.value,
      path: Object.hasOwn(payload.value, name) ? [name] : [],
      message: `makes the stored item ${total} bytes of UTF-8, over DynamoDB's limit of ${MAX_ITEM_BYTES} bytes (${name} alone takes ${size})`,
    });
  };
}

/** The four webhook bodies (§3.1): batches of 1–500 items, each item valid and storable, or nothing stored. */
export function webhookSchemas(program: ProgramConfig, storedForms: StoredForms) {
  const items = itemSchemas(program);
  const batchOf = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'must hold 1 to 500 items').max(500, 'must hold 1 to 500 items');
  return {
    orders: jsonObject({ orders: batchOf(items.orders.check(fitsOneItem(storedForms.orders))) }),
    clients: jsonObject({ clients: batchOf(items.clients.check(fitsOneItem(storedForms.clients))) }),
    groups: jsonObject({ groups: batchOf(items.groups.check(fitsOneItem(storedForms.groups))) }),
    prices: jsonObject({ prices: batchOf(items.prices.check(fitsOneItem(storedForms.prices))) }),
  };
}
