import { relative } from 'node:path';
import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';

/** A cdk-nag rule acknowledged on a construct, with the reason a reviewer reads. */
export interface AcknowledgedRule {
  readonly id: string;
  readonly path: string;
  readonly reason: string;
}

/** Every rule acknowledged anywhere under `root`, with where and why. */
export function acknowledgedRules(root: IConstruct): AcknowledgedRule[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          path: construct.node.path,
          reason,
        })),
      ),
  );
}

const BUNDLING_LINE = /^Bundling asset \S+\.\.\.\r?\n$/;

/**
 * Runs `synth` (building the stack bundles the functions) with CDK's "Bundling asset <path>..." line per
 * function held back (a dozen lines a person does not act on); returns how many assets were bundled.
 * Everything else on stderr goes through.
 */
export function synthesizeWithBundlingCounted<T>(synth: () => T): { result: T; bundled: number } {
  const write = process.stderr.write;
  let bundled = 0;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && BUNDLING_LINE.test(chunk)) {
      bundled++;
      return true;
    }
    return (write as (...args: unknown[]) => boolean).call(process.stderr, chunk, ...rest);
  }) as typeof process.stderr.write;
  try {
    return { result: synth(), bundled };
  } finally {
    process.stderr.write = write;
  }
}

const RESOURCE_KINDS: readonly [types: readonly string[], label: string][] = [
  [['AWS::Lambda::Function'], 'function'],
  [['AWS::DynamoDB::GlobalTable', 'AWS::DynamoDB::Table'], 'table'],
  [['AWS::SQS::Queue'], 'queue'],
  [['AWS::ApiGatewayV2::Route'], 'HTTP route'],
  [['AWS::Scheduler::Schedule'], 'schedule'],
  [['AWS::CloudWatch::Alarm'], 'alarm'],
];

const counted = (count: number, label: string) => `${count} ${label}${count === 1 ? '' : 's'}`;

/**
 * The few lines `npx cdk synth` prints instead of the template: what the stack holds, the cdk-nag verdict
 * (the AwsSolutions checks run again over the app: each unacknowledged finding on a line of its own, else the
 * count of acknowledged ones), and where the template is.
 */
export function describeSynthesis(app: App, assembly: CloudAssembly, stackName: string, bundled: number): string[] {
  const artifact = assembly.getStackByName(stackName);
  const resources = Object.values((artifact.template as { Resources: Record<string, { Type: string }> }).Resources);
  const counts = RESOURCE_KINDS.map(([types, label]) => counted(resources.filter((resource) => types.includes(resource.Type)).length, label));
  const acknowledged = acknowledgedRules(app);
  const byRule = new Map<string, number>();
  for (const { id } of acknowledged) byRule.set(id, (byRule.get(id) ?? 0) + 1);
  const ruleCounts = [...byRule].sort(([a], [b]) => a.localeCompare(b)).map(([id, count]) => `${id} ×${count}`);
  const findings = new AwsSolutionsChecks().validateScope(app).violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `  ${violation.ruleName} (${violation.severity}) ${resource.constructPath}: ${violation.description}`),
  );
  const templatePath = relative(process.cwd(), `${assembly.directory}/${artifact.templateFile}`);
  return [
    `${stackName}: ${counted(resources.length, 'resource')} (${counts.join(', ')})${bundled > 0 ? `; ${counted(bundled, 'bundle')} built` : ''}`,
    `cdk-nag AwsSolutions: ${counted(findings.length, 'finding')}, ${acknowledged.length} acknowledged with reasons (${ruleCounts.join(', ')})`,
    ...findings,
    `Template: ${templatePath}`,
  ];
}
