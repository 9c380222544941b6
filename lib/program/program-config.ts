import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isValidTimeZone } from '../domain/business-date.js';
import { parseAmount, type MinorUnits } from '../domain/money.js';
import defaultProgram from './default-program.json' with { type: 'json' };

export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'completed', 'cancelled', 'returned'] as const;
export const LOCALES = ['ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const localizedText = z.object({ ru: z.string().min(1), en: z.string().min(1) });
const amountText = z.union([z.string(), z.number()]).transform((value, ctx): MinorUnits => {
  const parsed = parseAmount(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: `threshold is not a valid amount (${parsed.problem})` });
    return z.NEVER;
  }
  return parsed.minor;
});

const TierSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,32}$/, 'tier id: 1–32 of a-z, 0-9, -'),
  name: localizedText,
  threshold: amountText,
  discountPercent: z.number().min(0).max(100).multipleOf(0.01),
  benefits: z.object({ ru: z.array(z.string()), en: z.array(z.string()) }),
});

export const ProgramConfigSchema = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as RUB'),
    timeZone: z.string().refine(isValidTimeZone, 'an IANA time zone such as Europe/Moscow'),
    windowDays: z.number().int().min(1).max(366),
    countedStatuses: z.array(z.enum(ORDER_STATUSES)).min(1),
    defaultLocale: z.enum(LOCALES),
    tiers: z.array(TierSchema).min(1),
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
    });
  });

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
