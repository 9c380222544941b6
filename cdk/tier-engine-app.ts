import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { z } from 'zod';
import { writeConsolePage } from '../lib/console/build.js';
import { loadDeployedProgram } from './program-source.js';
import { TierEngineStack } from './tier-engine-stack.js';

/** The repository root (this file lives in `<root>/cdk/`). */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The stack's id and CloudFormation name. */
export const STACK_NAME = 'TierEngine';

/** `-c key=value` arrives as a string, cdk.json values keep their JSON type: accept both for booleans. */
const contextBoolean = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')]);

const DeploymentContextSchema = z.object({
  senderAddress: z.email('senderAddress must be an email address (the From of tier emails, verified in SES)'),
  deletionProtection: contextBoolean.default(true),
  alarmEmail: z.email('alarmEmail must be an email address').optional(),
  erpCallbackUrl: z.url({ protocol: /^https$/, error: 'erpCallbackUrl must be an https URL' }).optional(),
});
/** The deployment settings the CDK context carries (cdk.json `context`, `-c key=value`). */
export type DeploymentContext = z.infer<typeof DeploymentContextSchema>;

/** Reads and validates the deployment context; a bad value fails the synth naming the context key. */
export function readDeploymentContext(app: App): DeploymentContext {
  const raw = Object.fromEntries(
    Object.keys(DeploymentContextSchema.shape).map((key) => [key, app.node.tryGetContext(key) ?? undefined]),
  );
  const result = DeploymentContextSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `context ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid CDK context:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

/** How to build the app; `cdk/app.ts` passes only the program config path. */
export interface TierEngineAppOptions {
  /** Extra context, as `-c` would give it (tests). */
  readonly context?: Record<string, unknown>;
  /** Program config file (`PROGRAM_CONFIG`); the built-in default program when absent. */
  readonly programConfigPath?: string;
  /** Cloud assembly directory; the CLI's (or a temporary one) when absent. */
  readonly outdir?: string;
}

/**
 * Builds the CDK app: validates the context and the program config (so a bad one fails `cdk synth`), adds the
 * stack, and registers the cdk-nag AWS Solutions checks, whose unacknowledged errors fail the synth.
 */
export function createTierEngineApp(options: TierEngineAppOptions = {}): { app: App; stack: TierEngineStack } {
  const app = new App({ ...(options.context ? { context: options.context } : {}), ...(options.outdir ? { outdir: options.outdir } : {}) });
  const context = readDeploymentContext(app);
  // The console function bundles the built page: build it now, so a synth never ships a stale or missing one.
  writeConsolePage();
  const stack = new TierEngineStack(app, STACK_NAME, {
    description: 'Wholesale tier program engine: ERP webhooks, nightly tier recalculation, emails and price lists',
    program: loadDeployedProgram(options.programConfigPath),
    senderAddress: context.senderAddress,
    deletionProtection: context.deletionProtection,
    ...(context.alarmEmail ? { alarmEmail: context.alarmEmail } : {}),
    ...(context.erpCallbackUrl ? { erpCallbackUrl: context.erpCallbackUrl } : {}),
    projectRoot: PROJECT_ROOT,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
