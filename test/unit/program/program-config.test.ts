import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import defaultProgram from '../../../lib/program/default-program.json' with { type: 'json' };
import { loadProgramConfig, multipliersByBrand, parseProgramConfig, ProgramConfigError, programToJson } from '../../../lib/program/program-config.js';
import withPolicy from '../../../lib/program/examples/with-policy.json' with { type: 'json' };

type RawProgram = typeof defaultProgram & Record<string, any>;
/** A deep copy of the default program with one change applied. */
function variant(change: (program: RawProgram) => void): unknown {
  const copy = structuredClone(defaultProgram);
  change(copy);
  return copy;
}

function errorOf(raw: unknown): string {
  try {
    parseProgramConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ProgramConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the program config to be rejected');
}

describe('the default program', () => {
  it('is valid and matches §2.5', () => {
    const program = loadProgramConfig();
    expect(program).toMatchObject({ currency: 'RUB', timeZone: 'Europe/Moscow', windowDays: 90, countedStatuses: ['paid', 'shipped', 'completed'], defaultLocale: 'ru' });
    expect(program.tiers.map((tier) => [tier.id, tier.threshold, tier.discountPercent])).toEqual([
      ['base', 0n, 0],
      ['bronze', 5_000_000n, 2],
      ['silver', 15_000_000n, 4],
      ['gold', 50_000_000n, 6],
      ['platinum', 150_000_000n, 8],
    ]);
  });
});

describe('parseProgramConfig names the field at fault', () => {
  it.each<[string, unknown, string]>([
    ['a first threshold other than 0', variant((p) => void (p.tiers[0]!.threshold = '1')), 'tiers.0.threshold: the first (base) tier must have threshold 0'],
    ['equal thresholds', variant((p) => void (p.tiers[2]!.threshold = p.tiers[1]!.threshold)), 'tiers.2.threshold: thresholds must strictly increase'],
    ['a decreasing threshold', variant((p) => void (p.tiers[3]!.threshold = '100000')), 'tiers.3.threshold: thresholds must strictly increase'],
    ['a duplicate tier id', variant((p) => void (p.tiers[4]!.id = 'gold')), 'tiers.4.id: duplicate tier id "gold"'],
    ['an unknown time zone', variant((p) => void (p.timeZone = 'Europe/Atlantis')), 'timeZone:'],
    ['a currency that is not an ISO code', variant((p) => void (p.currency = 'rub')), 'currency:'],
    ['a four-letter currency', variant((p) => void (p.currency = 'RUBL')), 'currency:'],
    ['an unknown counted status', variant((p) => void (p.countedStatuses = ['paid', 'delivered'])), 'countedStatuses.1:'],
    ['no counted status', variant((p) => void (p.countedStatuses = [])), 'countedStatuses:'],
    ['a zero window', variant((p) => void (p.windowDays = 0)), 'windowDays:'],
    ['an unknown default locale', variant((p) => void (p.defaultLocale = 'de')), 'defaultLocale:'],
    ['a threshold with 3 decimals', variant((p) => void (p.tiers[1]!.threshold = '50000.001')), 'tiers.1.threshold: threshold is not a valid amount (too_many_decimals)'],
    ['a negative threshold', variant((p) => void (p.tiers[1]!.threshold = '-5')), 'tiers.1.threshold: threshold is not a valid amount (negative)'],
    ['a discount over 100%', variant((p) => void (p.tiers[1]!.discountPercent = 101)), 'tiers.1.discountPercent:'],
    ['a discount with 3 decimals', variant((p) => void (p.tiers[1]!.discountPercent = 2.005)), 'tiers.1.discountPercent:'],
    ['a missing English tier name', variant((p) => void ((p.tiers[2]!.name as { en?: string }).en = undefined)), 'tiers.2.name.en:'],
    ['a bad tier id', variant((p) => void (p.tiers[1]!.id = 'Bronze Tier')), 'tiers.1.id: tier id'],
    ['no tiers', variant((p) => void (p.tiers = [])), 'tiers:'],
    ['an unknown top-level field', variant((p) => Object.assign(p, { windowdays: 30 })), 'windowdays'],
  ])('rejects %s', (_, raw, expected) => {
    expect(errorOf(raw)).toContain(expected);
  });

  it('lists every bad field at once', () => {
    const message = errorOf(variant((p) => Object.assign(p, { currency: 'rub', timeZone: 'Nowhere/Land' })));
    expect(message).toContain('currency:');
    expect(message).toContain('timeZone:');
  });

  it('accepts a custom program with numeric thresholds and fractional discounts', () => {
    const program = parseProgramConfig(
      variant((p) => {
        p.currency = 'EUR';
        p.timeZone = 'Europe/Berlin';
        p.tiers = p.tiers.slice(0, 2);
        (p.tiers[1] as { threshold: string | number }).threshold = 1000.5;
        p.tiers[1]!.discountPercent = 2.5;
      }),
    );
    expect(program.tiers.map((tier) => [tier.id, tier.threshold, tier.discountPercent])).toEqual([
      ['base', 0n, 0],
      ['bronze', 100_050n, 2.5],
    ]);
  });
});

describe('tier policy, focus brands and benefit codes (§4.2–4.3)', () => {
  it('the default program keeps today’s behaviour: retain = entry thresholds, no grace, no multipliers, no codes', () => {
    const program = loadProgramConfig();
    expect(program.tiers.map((tier) => tier.retainThreshold)).toEqual(program.tiers.map((tier) => tier.threshold));
    expect(program.tiers.every((tier) => tier.benefitCodes.length === 0)).toBe(true);
    expect(program.downgrade).toEqual({ graceDays: 0, minDaysInTier: 0, oneStepAtATime: false });
    expect(program.qualifying).toEqual({ brandMultipliers: {} });
  });

  it('the example program with every policy field is valid, and parses multipliers exactly as hundredths', () => {
    const program = parseProgramConfig(withPolicy);
    expect(program.downgrade.graceDays).toBeGreaterThan(0);
    expect(program.tiers.some((tier) => tier.retainThreshold < tier.threshold)).toBe(true);
    expect(program.tiers.some((tier) => tier.benefitCodes.length > 0)).toBe(true);
    expect([...multipliersByBrand(program)].length).toBeGreaterThan(0);
    expect(parseProgramConfig(variant((p) => void (p.qualifying = { brandMultipliers: { GROHE: 1.15, 'Jacob Delafon': '2', Old: 0 } }))).qualifying.brandMultipliers).toEqual({
      GROHE: 115n,
      'Jacob Delafon': 200n,
      Old: 0n,
    });
  });

  it('round-trips through its stored JSON form with every default made explicit', () => {
    const program = parseProgramConfig(withPolicy);
    const json = programToJson(program);
    expect(parseProgramConfig(JSON.parse(JSON.stringify(json)))).toEqual(program);
    expect((programToJson(loadProgramConfig()).tiers as { retainThreshold: string }[])[1]).toMatchObject({ threshold: '50000.00', retainThreshold: '50000.00', benefitCodes: [] });
  });

  it('compares brands case-insensitively', () => {
    const program = parseProgramConfig(variant((p) => void (p.qualifying = { brandMultipliers: { 'Jacob Delafon': 2 } })));
    expect(multipliersByBrand(program).get('jacob delafon')).toBe(200n);
  });

  it.each<[string, unknown, string]>([
    ['a retain threshold above its tier’s threshold', variant((p) => void ((p.tiers[2] as any).retainThreshold = '150000.01')), 'tiers.2.retainThreshold: must not exceed the tier\'s threshold (150000.00)'],
    ['a retain threshold not above the previous tier’s', variant((p) => void ((p.tiers[2] as any).retainThreshold = '50000')), "tiers.2.retainThreshold: must be above the previous tier's retain threshold"],
    ['a retain threshold with 3 decimals', variant((p) => void ((p.tiers[1] as any).retainThreshold = '1.001')), 'tiers.1.retainThreshold: retain threshold is not a valid amount (too_many_decimals)'],
    ['a multiplier of 10.001', variant((p) => void (p.qualifying = { brandMultipliers: { GROHE: 10.001 } })), 'qualifying.brandMultipliers.GROHE: a multiplier must be 0 to 10 with at most 2 decimals'],
    ['a multiplier of 10.01', variant((p) => void (p.qualifying = { brandMultipliers: { GROHE: 10.01 } })), 'qualifying.brandMultipliers.GROHE: a multiplier must be 0 to 10 with at most 2 decimals (above 10)'],
    ['a negative multiplier', variant((p) => void (p.qualifying = { brandMultipliers: { GROHE: -1 } })), 'qualifying.brandMultipliers.GROHE:'],
    ['the same brand twice in different case', variant((p) => void (p.qualifying = { brandMultipliers: { GROHE: 2, grohe: 1.5 } })), 'qualifying.brandMultipliers.grohe: the same brand as "GROHE"'],
    ['a benefit code with capitals', variant((p) => void ((p.tiers[1] as any).benefitCodes = ['Free-Delivery'])), 'tiers.1.benefitCodes.0: benefit code'],
    ['a benefit code of 41 characters', variant((p) => void ((p.tiers[1] as any).benefitCodes = ['a'.repeat(41)])), 'tiers.1.benefitCodes.0: benefit code'],
    ['a duplicate benefit code', variant((p) => void ((p.tiers[1] as any).benefitCodes = ['free-delivery', 'free-delivery'])), 'tiers.1.benefitCodes.1: duplicate benefit code'],
    ['negative grace days', variant((p) => void (p.downgrade = { graceDays: -1 })), 'downgrade.graceDays:'],
    ['fractional minimum days in tier', variant((p) => void (p.downgrade = { minDaysInTier: 1.5 })), 'downgrade.minDaysInTier:'],
    ['an unknown downgrade field', variant((p) => void (p.downgrade = { graceDay: 3 })), 'downgrade'],
    ['an unknown tier field (a typo of a policy field)', variant((p) => void ((p.tiers[1] as any).retainTreshold = '40000')), 'tiers.1'],
  ])('rejects %s', (_, raw, expected) => {
    expect(errorOf(raw)).toContain(expected);
  });
});

describe('loadProgramConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'program-config-'));

  it('reads and validates a JSON file, naming the file in its error', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify(variant((p) => void (p.currency = 'rub'))));
    expect(() => loadProgramConfig(path)).toThrow(new RegExp(`Invalid program config ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\n  currency:`));
  });

  it('fails clearly on a file that is missing or not JSON', () => {
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ nope');
    expect(() => loadProgramConfig(notJson)).toThrow(ProgramConfigError);
    expect(() => loadProgramConfig(join(dir, 'missing.json'))).toThrow(/Cannot read program config .*missing\.json/);
  });
});
