import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadProgramConfig, type ProgramConfig } from '../lib/program/program-config.js';
import defaultProgram from '../lib/program/default-program.json' with { type: 'json' };

/** The tier program as the stack deploys it: validated, and as the minified JSON the functions receive. */
export interface DeployedProgram {
  /** The validated program (thresholds in minor units), for synth-time decisions such as the schedule's time zone. */
  readonly program: ProgramConfig;
  /** The program file's content, minified, for `PROGRAM_CONFIG_JSON` (functions validate it again at start). */
  readonly json: string;
}

/**
 * Loads the program a deployment ships: the file at `path` (the `PROGRAM_CONFIG` env var of `cdk synth`) or the
 * built-in default. Validation happens here, at synth, so an invalid program fails the synth naming the field
 * instead of failing every function at cold start.
 */
export function loadDeployedProgram(path?: string): DeployedProgram {
  const absolutePath = path ? resolve(path) : undefined;
  const program = loadProgramConfig(absolutePath);
  const raw: unknown = absolutePath ? JSON.parse(readFileSync(absolutePath, 'utf8')) : defaultProgram;
  return { program, json: JSON.stringify(raw) };
}
