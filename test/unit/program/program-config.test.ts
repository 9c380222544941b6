import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import defaultProgram from '../../../lib/program/default-program.json' with { type: 'json' };
import { loadProgramConfig, parseProgramConfig, ProgramConfigError } from '../../../lib/program/program-config.js';

type RawProgram = typeof defaultProgram;
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
