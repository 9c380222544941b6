import { tableName } from '../config.js';
import { brandLinesAttribute } from '../adapters/dynamodb/order-window.js';
import { upsertByVersion, type UpsertOutcome } from '../adapters/dynamodb/versioned-store.js';
import { ORDER_SHARDS } from '../infra/resources.js';
import { shardOf } from '../domain/sharding.js';
import type { ClientInput, GroupInput, OrderInput, PriceInput } from '../ingest/schemas.js';

/**
 * Stores a validated batch of orders, version-wins. Each order records its client's shard, a
 * date-ordered index key and its line amounts by brand, so the nightly run can read one shard's window,
 * focus brands included, in large pages.
 */
export function ingestOrders(orders: readonly OrderInput[]): Promise<UpsertOutcome> {
  const receivedAt = new Date().toISOString();
  return upsertByVersion(
    tableName('orders'),
    'orderId',
    orders.map((order) => orderItem(order, receivedAt)),
  );
}

/** The stored form of an order (also what benchmarks write raw, to compare like with like). */
export function orderItem(order: OrderInput, receivedAt: string) {
  return {
    orderId: order.orderId,
    clientId: order.clientId,
    date: order.date,
    dateKey: `${order.date}#${order.orderId}`,
    shard: shardOf(order.clientId, ORDER_SHARDS),
    amountMinor: order.amount.toString(),
    currency: order.currency,
    status: order.status,
    version: order.version,
    lines: order.lines?.map((line) => ({ ...line, amount: line.amount.toString() })),
    brandLines: brandLinesAttribute(order.lines),
    receivedAt,
  };
}

/**
 * Stores counterparties, version-wins; a client without a group carries no groupId (it is its own group).
 * Each records the order shard of its orders, so a run maps a shard's clients to groups in large pages.
 */
export function ingestClients(clients: readonly ClientInput[]): Promise<UpsertOutcome> {
  const receivedAt = new Date().toISOString();
  return upsertByVersion(
    tableName('clients'),
    'clientId',
    clients.map((client) => clientItem(client, receivedAt)),
  );
}

/** The stored form of a client (also what benchmarks write raw). */
export function clientItem(client: ClientInput, receivedAt: string) {
  return {
    clientId: client.clientId,
    shard: shardOf(client.clientId, ORDER_SHARDS),
    name: client.name,
    email: client.email ?? undefined,
    groupId: client.groupId ?? undefined,
    version: client.version,
    receivedAt,
  };
}

/** Stores groups of companies with their notification contacts and locale, version-wins. */
export function ingestGroups(groups: readonly GroupInput[]): Promise<UpsertOutcome> {
  const receivedAt = new Date().toISOString();
  return upsertByVersion(
    tableName('groups'),
    'groupId',
    groups.map((group) => groupItem(group, receivedAt)),
  );
}

/** The stored form of a group. */
export function groupItem(group: GroupInput, receivedAt: string) {
  return { ...group, receivedAt };
}

/** Stores base wholesale prices in minor units, version-wins. */
export function ingestPrices(prices: readonly PriceInput[]): Promise<UpsertOutcome> {
  const receivedAt = new Date().toISOString();
  return upsertByVersion(
    tableName('prices'),
    'sku',
    prices.map((price) => priceItem(price, receivedAt)),
  );
}

/** The stored form of a base price, in minor units. */
export function priceItem(price: PriceInput, receivedAt: string) {
  return { sku: price.sku, brand: price.brand, priceMinor: price.price.toString(), version: price.version, receivedAt };
}

/** How each webhook kind is stored: the schemas measure this form against DynamoDB's item size limit. */
export const storedForms = { orders: orderItem, clients: clientItem, groups: groupItem, prices: priceItem };
