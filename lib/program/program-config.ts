import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isValidTimeZone } from '../domain/business-date.js';
import { formatMinor, parseAmount, type MinorUnits } from '../domain/money.js';
import defaultProgram from './default-program.json' with { type: 'json' };

export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'completed', 'cancelled', 'returned'] as const;
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** The largest focus-brand multiplier (§4.3), in hundredths: 10.00. */
const MAX_MULTIPLIER_HUNDREDTHS = 1000n;

const localizedText = z.object({ ru: z.string().min(1), en: z.string().min(1) });

/** An amount in currency units (like an order amount) as minor units; `what` names it in the message. */
const amountOf = (what: string) =>
  z.union([z.string(), z.number()]).transform((value, ctx): MinorUnits => {
    const parsed = parseAmount(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: 'custom', message: `${what} is not a valid amount (${parsed.problem})` });
      return z.NEVER;
    }
    return parsed.minor;
  });

/** A multiplier of 0 to 10 with at most 2 decimals, held exactly as integer hundredths (1.5 → 150). */
const Multiplier = z.union([z.number(), z.string()]).transform((value, ctx): bigint => {
  const parsed = parseAmount(value);
  if (!parsed.ok || parsed.minor > MAX_MULTIPLIER_HUNDREDTHS) {
    const detail = parsed.ok ? 'above 10' : parsed.problem.replaceAll('_', ' ');
    ctx.addIssue({ code: 'custom', message: `a multiplier must be 0 to 10 with at most 2 decimals (${detail})` });
    return z.NEVER;
  }
  return parsed.minor;
});

const BenefitCode = z.string().regex(/^[a-z0-9-]{1,40}$/, 'benefit code: 1–40 of a-z, 0-9, -');

const TierSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,32}$/, 'tier id: 1–32 of a-z, 0-9, -'),
    name: localizedText,
    threshold: amountOf('threshold'),
    /** Keeping the tier needs a qualifying sum ≥ this (§4.2); absent, the entry threshold. */
    retainThreshold: amountOf('retain threshold').optional(),
    discountPercent: z.number().min(0).max(100).multipleOf(0.01),
    benefits: z.object({ ru: z.array(z.string()), en: z.array(z.string()) }),
    /** Machine-readable codes of the tier's non-monetary benefits, for the ERP (§4.3). */
    benefitCodes: z.array(BenefitCode).max(50).default([]),
  })
  .strict();

const DowngradeSchema = z
  .object({
    graceDays: z.number().int().min(0).max(366).default(0),
    minDaysInTier: z.number().int().min(0).max(3660).default(0),
    oneStepAtATime: z.boolean().default(false),
  })
  .strict();

/** At-risk and near-next-tier notices (§4.4); absent, they are on with these defaults. */
const NoticesSchema = z
  .object({
    enabled: z.boolean().default(true),
    atRiskDays: z.number().int().min(0).max(366).default(14),
    nearNextTierPercent: z.number().min(0).max(100).multipleOf(0.01).default(10),
    cooldownDays: z.number().int().min(1).max(366).default(30),
  })
  .strict();

const QualifyingSchema = z.object({ brandMultipliers: z.record(z.string().min(1).max(200), Multiplier).default({}) }).strict();

export const ProgramConfigSchema = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as RUB'),
    timeZone: z.string().refine(isValidTimeZone, 'an IANA time zone such as Europe/Moscow'),
    windowDays: z.number().int().min(1).max(366),
    countedStatuses: z.array(z.enum(ORDER_STATUSES)).min(1),
    defaultLocale: z.enum(LOCALES),
    tiers: z.array(TierSchema).min(1),
    downgrade: DowngradeSchema.prefault({}),
    qualifying: QualifyingSchema.prefault({}),
    notices: NoticesSchema.prefault({}),
  })
  .strict()
  .superRefine((program, ctx) => {
    if (program.tiers[0] && program.tiers[0].threshold !== 0n) {
      ctx.addIssue({ code: 'custom', path: ['tiers', 0, 'threshold'], message: 'the first (base) tier must have threshold 0' });
    }
    program.tiers.forEach((tier, index) => {
      const previous = program.tiers[index - 1];
      if (previous && tier.threshold <= previous.threshold) {
        ctx.addIssue({ code: 'custom', path: ['tiers', index, 'threshold'], message: 'thresholds must strictly increase' });
      }
      if (program.tiers.findIndex((other) => other.id === tier.id) !== index) {
        ctx.addIssue({ code: 'custom', path: ['tiers', index, 'id'], message: `duplicate tier id "${tier.id}"` });
      }
      const retain = tier.retainThreshold ?? tier.threshold;
      if (retain > tier.threshold) {
        ctx.addIssue({ code: 'custom', path: ['tiers', index, 'retainThreshold'], message: `must not exceed the tier's threshold (${formatMinor(tier.threshold)})` });
      } else if (previous && retain <= (previous.retainThreshold ?? previous.threshold)) {
        ctx.addIssue({ code: 'custom', path: ['tiers', index, 'retainThreshold'], message: "must be above the previous tier's retain threshold" });
      }
      tier.benefitCodes.forEach((code, codeIndex) => {
        if (tier.benefitCodes.indexOf(code) !== codeIndex) {
          ctx.addIssue({ code: 'custom', path: ['tiers', index, 'benefitCodes', codeIndex], message: `duplicate benefit code "${code}"` });
        }
      });
    });
    const brands = Object.keys(program.qualifying.brandMultipliers);
    brands.forEach((brand, index) => {
      const first = brands.findIndex((other) => other.toLowerCase() === brand.toLowerCase());
      if (first !== index) {
        ctx.addIssue({ code: 'custom', path: ['qualifying', 'brandMultipliers', brand], message: `the same brand as "${brands[first]}" (brands compare case-insensitively)` });
      }
    });
  })
  .transform((program) => ({
    ...program,
    tiers: program.tiers.map((tier) => ({ ...tier, retainThreshold: tier.retainThreshold ?? tier.threshold })),
  }));

export type ProgramConfig = z.infer<typeof ProgramConfigSchema>;
export type Tier = ProgramConfig['tiers'][number];

/** Raised when a program config is invalid; the message names every field at fault. */
export class ProgramConfigError extends Error {
  override name = 'ProgramConfigError';
}

/** Validates a program config object; an invalid one throws with each bad field's path, never a silent default. */
export function parseProgramConfig(raw: unknown, source = 'program config'): ProgramConfig {
  const result = ProgramConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new ProgramConfigError(`Invalid ${source}:\n  ${problems.join('\n  ')}`);
}

/** Loads the program from a JSON file path, or the built-in default program when none is given. */
export function loadProgramConfig(path?: string): ProgramConfig {
  if (!path) return parseProgramConfig(defaultProgram, 'default program config');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ProgramConfigError(`Cannot read program config ${path}: ${(error as Error).message}`);
  }
  return parseProgramConfig(raw, `program config ${path}`);
}

/**
 * A validated program as JSON with every field explicit (defaults filled in, amounts as "50000.00",
 * multipliers as numbers): what a stored version holds and GET /admin/program shows. Parsing it again
 * gives the same program.
 */
export function programToJson(program: ProgramConfig): Record<string, unknown> {
  return {
    ...program,
    tiers: program.tiers.map((tier) => ({ ...tier, threshold: formatMinor(tier.threshold), retainThreshold: formatMinor(tier.retainThreshold) })),
    qualifying: {
      brandMultipliers: Object.fromEntries(Object.entries(program.qualifying.brandMultipliers).map(([brand, hundredths]) => [brand, Number(hundredths) / 100])),
    },
  };
}

const multiplierMaps = new WeakMap<ProgramConfig, ReadonlyMap<string, bigint>>();

/** The focus-brand multipliers by lowercased brand, in hundredths (brands compare case-insensitively, §4.3). */
export function multipliersByBrand(program: ProgramConfig): ReadonlyMap<string, bigint> {
  let map = multiplierMaps.get(program);
  if (!map) {
    map = new Map(Object.entries(program.qualifying.brandMultipliers).map(([brand, hundredths]) => [brand.toLowerCase(), hundredths]));
    multiplierMaps.set(program, map);
  }
  return map;
}
