import { insertProgramVersion, listProgramVersions, type StoredProgramVersion } from '../adapters/dynamodb/program-versions.js';
import { latestRunAsOf } from '../jobs/recalculation/latest-as-of.js';
import { program as deployedProgram } from '../config.js';
import { businessDateAt, type BusinessDate } from '../domain/business-date.js';
import { conflict, validationFailed, type RequestIssue } from '../http/errors.js';
import { oncePerInvocation } from '../invocation-cache.js';
import { logger } from '../observability.js';
import { parseProgramConfig, programToJson, type ProgramConfig, type Tier } from './program-config.js';

/** The `effectiveFrom` of version 1, the deployed program: in effect from the beginning (§4.1). */
export const BEGINNING: BusinessDate = '0001-01-01';
/** Attempts at taking the next version number when concurrent writers keep taking it first. */
const NUMBERING_ATTEMPTS = 10;

/** One numbered version of the program (§4.1). */
export interface ProgramVersion {
  version: number;
  effectiveFrom: BusinessDate;
  /** When it was stored; null for the deployed program while no version is stored yet. */
  createdAt: string | null;
  program: ProgramConfig;
}

/** Every version of the program, newest first: which one is in effect at a date, and tiers of the past. */
export class ProgramCatalog {
  constructor(readonly versions: readonly ProgramVersion[]) {}

  /** The newest version whose `effectiveFrom` ≤ date (§4.1); version 1 is effective from the beginning. */
  inEffectAt(date: BusinessDate): ProgramVersion {
    return this.versions.find((version) => version.effectiveFrom <= date) ?? this.versions[this.versions.length - 1]!;
  }

  /** A version by its number. */
  numbered(version: number): ProgramVersion | undefined {
    return this.versions.find((candidate) => candidate.version === version);
  }

  /**
   * A tier as the given version defines it or, for a tier that version dropped, as the newest version
   * up to it last defined it (to name it and know its discount in changes recorded under older versions).
   */
  tier(tierId: string, as: ProgramVersion): Tier | undefined {
    const defining = [as, ...this.versions.filter((version) => version.version < as.version)];
    for (const version of defining) {
      const tier = version.program.tiers.find((candidate) => candidate.id === tierId);
      if (tier) return tier;
    }
    return undefined;
  }
}

/** Parsed versions by number: a stored version never changes, so it is validated once per process. */
const parsedVersions = new Map<number, ProgramVersion>();

function parseStored(stored: StoredProgramVersion): ProgramVersion {
  let parsed = parsedVersions.get(stored.version);
  if (!parsed || parsed.createdAt !== stored.createdAt) {
    parsed = { ...stored, program: parseProgramConfig(stored.program, `stored program version ${stored.version}`) };
    parsedVersions.set(stored.version, parsed);
  }
  return parsed;
}

async function readCatalog(): Promise<ProgramCatalog> {
  const stored = await listProgramVersions();
  const deployedAsVersionOne: ProgramVersion = { version: 1, effectiveFrom: BEGINNING, createdAt: null, program: deployedProgram };
  return new ProgramCatalog(stored.length > 0 ? stored.map(parseStored) : [deployedAsVersionOne]);
}

/**
 * The program's versions, read at most once per invocation (never per group). While none is stored,
 * the deployed program is version 1.
 */
export function loadProgramCatalog(): Promise<ProgramCatalog> {
  return oncePerInvocation('program-catalog', readCatalog);
}

/** The stored versions, storing the deployed program as version 1 first when there are none (§4.1). */
async function storedCatalog(): Promise<ProgramCatalog> {
  const stored = await listProgramVersions();
  if (stored.length > 0) return new ProgramCatalog(stored.map(parseStored));
  const seed = { version: 1, effectiveFrom: BEGINNING, createdAt: new Date().toISOString(), program: programToJson(deployedProgram) };
  if (await insertProgramVersion(seed)) logger.info('deployed program stored as program version 1');
  return new ProgramCatalog((await listProgramVersions()).map(parseStored));
}

/**
 * The version a run for D applies for the whole run, from the versions stored when it starts (the deployed
 * program becomes version 1 if none is stored yet). The run records its number; its tasks read that one.
 */
export async function programVersionForRun(asOf: BusinessDate): Promise<ProgramVersion> {
  return (await storedCatalog()).inEffectAt(asOf);
}

/** Today's business date in the program time zone. */
export function businessToday(): BusinessDate {
  return businessDateAt(new Date(), deployedProgram.timeZone);
}

/** The §4.1 answer of GET /admin/program: the version in effect today, and every version newest first. */
export async function describeProgram() {
  const catalog = await loadProgramCatalog();
  const current = catalog.inEffectAt(businessToday());
  return {
    version: current.version,
    effectiveFrom: current.effectiveFrom,
    program: programToJson(current.program),
    versions: catalog.versions.map(({ version, effectiveFrom, createdAt }) => ({ version, effectiveFrom, createdAt })),
  };
}

/**
 * What a version may not change: the deployment stores data by the currency, the time zone and the
 * default locale, and groups never evaluated stand in the base tier, whose id is therefore fixed.
 */
export function deploymentFixedIssues(candidate: ProgramConfig): RequestIssue[] {
  const fixed = [
    ['currency', candidate.currency, deployedProgram.currency],
    ['timeZone', candidate.timeZone, deployedProgram.timeZone],
    ['defaultLocale', candidate.defaultLocale, deployedProgram.defaultLocale],
    ['tiers[0].id', candidate.tiers[0]!.id, deployedProgram.tiers[0]!.id],
  ] as const;
  return fixed
    .filter(([, value, deployed]) => value !== deployed)
    .map(([path, , deployed]) => ({ path: `program.${path}`, message: `must be "${deployed}", as deployed: a program version cannot change it` }));
}

/**
 * Stores a new program version (§4.1). Steps: refuse what only a deployment may change (422); refuse an
 * `effectiveFrom` on or before the latest run's as-of date (409: history is not rewritten); store the
 * deployed program as version 1 if nothing is stored; take the next number with a conditional write,
 * reading again when a concurrent writer took it first. Nothing is stored on any refusal.
 */
export async function publishProgramVersion(effectiveFrom: BusinessDate, candidate: ProgramConfig): Promise<{ version: number; effectiveFrom: BusinessDate }> {
  const issues = deploymentFixedIssues(candidate);
  if (issues.length > 0) throw validationFailed(issues, 'no version was stored');
  const latestRun = await latestRunAsOf();
  if (latestRun && effectiveFrom <= latestRun) {
    throw conflict(`effectiveFrom ${effectiveFrom} is on or before ${latestRun}, the as-of date of the latest run: choose a later date (history is not rewritten)`);
  }
  for (let attempt = 0; attempt < NUMBERING_ATTEMPTS; attempt++) {
    const next = (await storedCatalog()).versions[0]!.version + 1;
    const version = { version: next, effectiveFrom, createdAt: new Date().toISOString(), program: programToJson(candidate) };
    if (await insertProgramVersion(version)) {
      logger.info('program version stored', { version: next, effectiveFrom });
      return { version: next, effectiveFrom };
    }
  }
  throw new Error(`Could not take a program version number in ${NUMBERING_ATTEMPTS} attempts`);
}
