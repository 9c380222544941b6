import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { z } from 'zod';
import { recordDelivered } from '../adapters/dynamodb/deliveries.js';
import { recordPriceAssignment } from '../adapters/dynamodb/price-assignments.js';
import { postSignedToErp } from '../adapters/http/erp-callback.js';
import { loadSecrets } from '../adapters/secrets.js';
import type { TierChange } from '../domain/group-evaluation.js';
import { UnknownTierError } from '../notifications/email.js';
import { logger, metrics } from '../observability.js';
import { loadProgramCatalog } from '../program/program-versions.js';
import { findGroup } from './group-directory.js';

/** Where the ERP takes price-list changes (§2.8); unset, assignments are only recorded. A bad URL fails start-up. */
const erpCallbackUrl = z
  .url({ message: 'ERP_CALLBACK_URL must be an http(s) URL' })
  .optional()
  .parse(process.env.ERP_CALLBACK_URL || undefined);

/** The §2.8 callback body. */
export interface PriceListCallback {
  eventId: string;
  groupId: string;
  clientIds: string[];
  tierId: string;
  discountPercent: number;
  /** Codes of the tier's non-monetary benefits (§4.3), for the ERP to route calls and deliveries by. */
  benefitCodes: string[];
  effectiveFrom: string;
}

/**
 * Applies a tier change to the group's price list. Steps: record the assignment (the new tier's discount
 * and benefit codes by the program version in effect at the change's as-of date, from that date on) at
 * most once per eventId; then, where ERP_CALLBACK_URL is set, tell the ERP with
 * the group's current members, signed. Recording comes first, so a retried callback never re-applies the
 * assignment: the retry finds it recorded and only sends the callback again (the ERP dedupes by eventId).
 * Once the assignment is recorded and the ERP has acknowledged it, the delivery ledger records the price-list
 * channel done.
 */
export async function updatePriceList(change: TierChange): Promise<void> {
  const tier = (await loadProgramCatalog()).inEffectAt(change.asOf).program.tiers.find((candidate) => candidate.id === change.to);
  if (!tier) throw new UnknownTierError(`Tier change ${change.eventId} moves to tier "${change.to}", which the program does not have`);
  const { assignment, created } = await recordPriceAssignment({
    groupId: change.groupId,
    tierId: tier.id,
    discountPercent: tier.discountPercent,
    benefitCodes: tier.benefitCodes,
    effectiveFrom: change.asOf,
    eventId: change.eventId,
    seq: change.seq,
  });
  if (created) metrics.addMetric('PriceAssignmentsRecorded', MetricUnit.Count, 1);
  if (!erpCallbackUrl) {
    await recordDelivered(change.eventId, 'priceList', 'recorded');
    return;
  }
  const [group, { webhookSecret }] = await Promise.all([findGroup(change.groupId), loadSecrets()]);
  const callback: PriceListCallback = {
    eventId: assignment.eventId,
    groupId: assignment.groupId,
    // A group nothing is known of yet is a client without master data: its own group (§2.2).
    clientIds: group?.members ?? [change.groupId],
    tierId: assignment.tierId,
    discountPercent: assignment.discountPercent,
    benefitCodes: assignment.benefitCodes,
    effectiveFrom: assignment.effectiveFrom,
  };
  await postSignedToErp(erpCallbackUrl, callback, webhookSecret);
  logger.info('price list change sent to the ERP', { eventId: change.eventId, groupId: change.groupId, firstDelivery: created });
  metrics.addMetric('ErpCallbacksDelivered', MetricUnit.Count, 1);
  await recordDelivered(change.eventId, 'priceList', 'erp-acknowledged');
}
