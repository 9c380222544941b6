import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { createTierEngineApp, STACK_NAME } from '../../cdk/tier-engine-app.js';
import { synthesizeWithBundlingCounted } from '../../cdk/synth-report.js';
import type { TierEngineStack } from '../../cdk/tier-engine-stack.js';

export interface SynthesisOptions {
  /** Run esbuild for every function (slow); otherwise CDK skips asset bundling, the template is the same. */
  readonly bundle?: boolean;
  /**
   * Also run CDK's built-in CloudFormation schema validation, as `cdk synth` does (about 8 s). Off, cdk-nag
   * still runs: only the schema check is skipped (`CDK_VALIDATION=false`).
   */
  readonly cloudFormationValidation?: boolean;
  readonly programConfigPath?: string;
  readonly context?: Record<string, unknown>;
  /** Changes the stack before it is synthesized (to prove that the checks catch a bad resource). */
  readonly beforeSynth?: (stack: TierEngineStack) => void;
}

/** One synthesized app: the template to assert on, the stack to map constructs to logical ids, the assembly. */
export interface SynthesizedStack {
  readonly stack: TierEngineStack;
  readonly template: Template;
  readonly assembly: CloudAssembly;
  /** Logical id of a function's AWS::Lambda::Function, by its name in lib/infra/functions.ts. */
  functionLogicalId(name: string): string;
  /** Logical id of the AWS::IAM::Role a function runs with. */
  roleLogicalId(name: string): string;
  /** Logical id of any construct's CloudFormation resource. */
  logicalId(construct: IConstruct): string;
  /** Deletes the assembly directory. */
  dispose(): void;
}

/** The context cdk.json gives a plain `npx cdk synth`. */
export const CDK_JSON_CONTEXT = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context as Record<string, unknown>;

/**
 * Synthesizes the app exactly as `cdk/app.ts` does (same factory, cdk-nag included: under vitest an
 * unacknowledged nag error makes `synth()` throw) into a temporary directory. Call once per test file.
 */
export function synthesizeTierEngine(options: SynthesisOptions = {}): SynthesizedStack {
  const outdir = mkdtempSync(join(tmpdir(), 'tier-engine-cdk-'));
  const context = {
    ...CDK_JSON_CONTEXT,
    ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    ...options.context,
  };
  let stack: TierEngineStack;
  let assembly: CloudAssembly;
  try {
    // As `cdk/app.ts` does: the functions are bundled while the stack is built, CDK's line per bundle held back.
    ({ stack, assembly } = synthesizeWithBundlingCounted(() => {
      const built = createTierEngineApp({
        context,
        outdir,
        ...(options.programConfigPath ? { programConfigPath: options.programConfigPath } : {}),
      });
      options.beforeSynth?.(built.stack);
      return { stack: built.stack, assembly: withCloudFormationValidation(options.cloudFormationValidation ?? false, () => built.app.synth()) };
    }).result);
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  const template = Template.fromJSON(assembly.getStackByName(STACK_NAME).template);
  const logicalId = (construct: IConstruct) => {
    const resource = construct.node.defaultChild ?? construct;
    return Stack.of(construct).getLogicalId(resource as CfnElement);
  };
  const tierFunction = (name: string) => {
    const fn = stack.functions.get(name);
    if (!fn) throw new Error(`No function ${name} in the stack`);
    return fn;
  };
  return {
    stack,
    template,
    assembly,
    logicalId,
    functionLogicalId: (name) => logicalId(tierFunction(name).function),
    roleLogicalId: (name) => logicalId(tierFunction(name).role),
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

function withCloudFormationValidation<T>(enabled: boolean, run: () => T): T {
  const previous = process.env.CDK_VALIDATION;
  if (!enabled) process.env.CDK_VALIDATION = 'false';
  try {
    return run();
  } finally {
    if (previous === undefined) delete process.env.CDK_VALIDATION;
    else process.env.CDK_VALIDATION = previous;
  }
}

/** A CloudFormation resource of a synthesized template. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties: Record<string, any>;
}

/** The resources of one type, by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, TemplateResource> {
  return template.findResources(type) as Record<string, TemplateResource>;
}

/** A policy statement as synthesized (Action and Resource may be a single value or a list). */
export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
}

/** Every statement of the IAM policies attached to a role. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId })))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** A statement's actions as a list. */
export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** A statement's resources as a list. */
export function resourcesOf(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** The CloudFormation value of a resource's ARN (`Fn::GetAtt [id, Arn]`). */
export function arnOf(logicalId: string): unknown {
  return { 'Fn::GetAtt': [logicalId, 'Arn'] };
}

/** True when a synthesized value mentions the logical id (Ref, GetAtt, inside a Join). */
export function mentions(value: unknown, logicalId: string): boolean {
  return JSON.stringify(value).includes(`"${logicalId}"`);
}
