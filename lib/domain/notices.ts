import { addDays, type BusinessDate } from './business-date.js';
import type { MinorUnits } from './money.js';
import type { Outlook } from './outlook.js';
import { nextTier, tierRank, type TierThreshold } from './tiers.js';

/** The two notices a run may send a group between tier changes (§4.4). */
export const NOTICE_KINDS = ['at-risk', 'near-next-tier'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** The program's notice settings (§4.4), one set per program version. */
export interface NoticeSettings {
  readonly enabled: boolean;
  /** At risk: a paid tier whose holdsUntil is at most this many days after D. */
  readonly atRiskDays: number;
  /** Near the next tier: what is missing is at most this percentage of the next tier's threshold. */
  readonly nearNextTierPercent: number;
  /** At most one notice of a kind per group in this many days. */
  readonly cooldownDays: number;
}

interface NoticeFields {
  /** `groupId/asOf/kind`: unique per notice, identical on every retry and rerun of the same date. */
  eventId: string;
  groupId: string;
  asOf: BusinessDate;
  tierId: string;
  sum: MinorUnits;
  qualifyingSum: MinorUnits;
}

/** A notice a run recorded for a group, with what its email says. */
export type Notice =
  | (NoticeFields & { kind: 'at-risk'; outlook: Outlook })
  | (NoticeFields & { kind: 'near-next-tier'; nextTier: { id: string; threshold: MinorUnits; remaining: MinorUnits } });

/** When a group last got each kind of notice: what the cool-down counts from. */
export type NoticedOn = Partial<Record<NoticeKind, BusinessDate>>;

/** What deciding a group's notices after the run for D needs. */
export interface NoticeInput {
  settings: NoticeSettings;
  tiers: readonly TierThreshold[];
  tierId: string;
  qualifyingSum: MinorUnits;
  /** The run date its countdown starts or started if it buys nothing more (projectOutlook). */
  countdownFrom: BusinessDate | null;
  noticedOn: NoticedOn;
  /** A group that changed tier tonight gets the tier email, which says as much: no notice on top. */
  changedTier: boolean;
  asOf: BusinessDate;
}

/**
 * The notices due to a group after the run for D (§4.4): *at risk* for a paid tier whose holdsUntil is
 * within `atRiskDays` of D (its countdown starts by D + atRiskDays + 1; a floor of its tier defers that to
 * the floor's end, and a group already counting down is at risk), *near next tier* when the qualifying sum
 * misses the next threshold by at most `nearNextTierPercent` % of it. A kind sent within `cooldownDays`
 * (a rerun of the same D included) is not due again.
 */
export function dueNotices(input: NoticeInput): NoticeKind[] {
  const { settings, tiers, asOf } = input;
  if (!settings.enabled || input.changedTier) return [];
  const due: NoticeKind[] = [];
  const paid = tierRank(input.tierId, tiers) > 0;
  if (paid && input.countdownFrom !== null && input.countdownFrom <= addDays(asOf, settings.atRiskDays + 1)) due.push('at-risk');
  const next = nextTier(input.tierId, input.qualifyingSum, tiers);
  // Integer arithmetic in hundredths of a percent: remaining / threshold ≤ percent / 100.
  const percentHundredths = BigInt(Math.round(settings.nearNextTierPercent * 100));
  if (next && next.remaining * 10_000n <= percentHundredths * next.tier.threshold) due.push('near-next-tier');
  return due.filter((kind) => {
    const last = input.noticedOn[kind];
    return last === undefined || asOf >= addDays(last, settings.cooldownDays);
  });
}

/** The notice of a kind for a group as its state stands after the run for D. */
export function noticeFor(
  kind: NoticeKind,
  group: { groupId: string; tierId: string; sum: MinorUnits; qualifyingSum: MinorUnits; outlook: Outlook },
  tiers: readonly TierThreshold[],
  asOf: BusinessDate,
): Notice {
  const fields: NoticeFields = { eventId: `${group.groupId}/${asOf}/${kind}`, groupId: group.groupId, asOf, tierId: group.tierId, sum: group.sum, qualifyingSum: group.qualifyingSum };
  if (kind === 'at-risk') return { ...fields, kind, outlook: group.outlook };
  const next = nextTier(group.tierId, group.qualifyingSum, tiers);
  if (!next) throw new Error(`Group ${group.groupId} in the top tier ${group.tierId} cannot be near a next tier`);
  return { ...fields, kind, nextTier: { id: next.tier.id, threshold: next.tier.threshold, remaining: next.remaining } };
}
