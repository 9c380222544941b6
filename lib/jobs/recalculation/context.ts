import type { Job } from '../../adapters/dynamodb/jobs.js';
import { addDays, type BusinessDate } from '../../domain/business-date.js';
import { multipliersByBrand } from '../../program/program-config.js';
import { loadProgramCatalog, type ProgramCatalog, type ProgramVersion } from '../../program/program-versions.js';

/** What every task of a recalculation needs: the one program version the run applies, and its window. */
export interface RecalculationContext {
  catalog: ProgramCatalog;
  version: ProgramVersion;
  from: BusinessDate;
  to: BusinessDate;
  countedStatuses: ReadonlySet<string>;
  multipliers: ReadonlyMap<string, bigint>;
  /** Each date of the window by its offset from the window's first day (0 leaves the window first). */
  dayOffsets: ReadonlyMap<BusinessDate, number>;
}

/** The program version a run applies (the one it recorded at its start), with the versions before it. */
export async function recalculationContext(job: Job): Promise<RecalculationContext> {
  const catalog = await loadProgramCatalog();
  const number = job.params.programVersion as number | undefined;
  const version = number === undefined ? catalog.inEffectAt(job.asOf) : catalog.numbered(number);
  if (!version) throw new Error(`Run ${job.jobId} applies program version ${number}, which is not stored`);
  const { program } = version;
  const from = addDays(job.asOf, -(program.windowDays - 1));
  return {
    catalog,
    version,
    from,
    to: job.asOf,
    countedStatuses: new Set(program.countedStatuses),
    multipliers: multipliersByBrand(program),
    dayOffsets: new Map(Array.from({ length: program.windowDays }, (_, offset) => [addDays(from, offset), offset])),
  };
}
