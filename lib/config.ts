import { loadProgramConfig, parseProgramConfig, type ProgramConfig } from './program/program-config.js';
import { queues, tables, type QueueKey, type TableKey } from './infra/resources.js';

/** Raised at start-up when a required setting is missing; the message names it. */
export class MissingSettingError extends Error {
  override name = 'MissingSettingError';
}

/** Reads a required environment variable, failing with its name rather than running on a silent default. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new MissingSettingError(`Missing required environment variable ${name}`);
  return value;
}

/** Physical name of a table, from the env var its definition names. */
export function tableName(key: TableKey): string {
  return requiredEnv(tables[key].envVar);
}

/** URL of a queue, from the env var its definition names. */
export function queueUrl(key: QueueKey): string {
  return requiredEnv(queues[key].envVar);
}

/** URL of a queue's dead-letter queue, from the env var its definition names. */
export function deadLetterQueueUrl(key: QueueKey): string {
  return requiredEnv(queues[key].deadLetterEnvVar);
}

/** Raised at start-up when a setting has a value it cannot take; the message names it. */
export class InvalidSettingError extends Error {
  override name = 'InvalidSettingError';
}

/** Default of REDELIVER_AFTER_MINUTES: a delivery owed this long after its last publish is published again. */
const DEFAULT_REDELIVER_AFTER_MINUTES = 15;

/** A duration setting: unset or empty takes the default; anything but a finite number ≥ 0 is refused by name. */
function parseDuration(name: string, unit: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new InvalidSettingError(`${name} must be a number of ${unit} ≥ 0, not "${text}"`);
  return value;
}

/**
 * How long a delivery may stay owed after it was last published before a sweep publishes it again
 * (REDELIVER_AFTER_MINUTES, default 15): long enough for the consumers to have worked off a normal backlog.
 */
export const redeliverAfterMinutes: number = parseDuration('REDELIVER_AFTER_MINUTES', 'minutes', process.env.REDELIVER_AFTER_MINUTES, DEFAULT_REDELIVER_AFTER_MINUTES);

/** Default of SES_SEND_EVENT_WAIT_SECONDS: SES publishes a Send event within seconds; five minutes is ample. */
const DEFAULT_SES_SEND_EVENT_WAIT_SECONDS = 300;

/**
 * How long after an email attempt whose outcome nobody saw (the consumer died or SES did not answer) its
 * retry waits for SES's Send event before concluding SES never took the email and sending it
 * (SES_SEND_EVENT_WAIT_SECONDS, default 300).
 */
export const sesSendEventWaitSeconds: number = parseDuration(
  'SES_SEND_EVENT_WAIT_SECONDS',
  'seconds',
  process.env.SES_SEND_EVENT_WAIT_SECONDS,
  DEFAULT_SES_SEND_EVENT_WAIT_SECONDS,
);

function loadProgram(): ProgramConfig {
  // In AWS the stack embeds the validated program as JSON; locally PROGRAM_CONFIG names a file.
  const embedded = process.env.PROGRAM_CONFIG_JSON;
  if (embedded) return parseProgramConfig(JSON.parse(embedded), 'PROGRAM_CONFIG_JSON');
  return loadProgramConfig(process.env.PROGRAM_CONFIG || undefined);
}

/**
 * The deployed program, validated once per process. It owns what the data is stored by (currency, time
 * zone, default locale: ingestion and the nightly schedule use them) and seeds program version 1; the
 * tier rules every reader applies come from the stored versions (lib/program/program-versions.ts).
 */
export const program: ProgramConfig = loadProgram();
