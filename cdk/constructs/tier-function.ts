import { join } from 'node:path';
import { Duration, Token, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Charset, LogLevel, NodejsFunction, OutputFormat, type ICommandHooks } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionDefinition } from '../../lib/infra/functions.js';

/** Service name Powertools puts on every log line and, as the `service` dimension, on every metric. */
export const SERVICE_NAME = 'tier-engine';
/** CloudWatch namespace of the functions' custom metrics (the nightly-run alarm reads it). */
export const METRICS_NAMESPACE = 'TierEngine';

/** Lambda's limit on a function's environment: all keys and values together. */
export const LAMBDA_ENVIRONMENT_LIMIT_BYTES = 4096;
/** Bytes assumed for a value only known at deploy time (a table name, queue URL or ARN is shorter). */
const DEPLOY_TIME_VALUE_BYTES = 160;

/**
 * Email templates, read at run time from `templates/` beside the running module (lib/notifications/email.ts):
 * in a bundle that module is index.mjs, so the folder is copied next to it.
 */
export const EMAIL_TEMPLATES_SOURCE = 'lib/notifications/templates';
/** The templates folder inside a bundle, beside index.mjs. */
export const EMAIL_TEMPLATES_IN_BUNDLE = 'templates';

/** Copies the email templates into the bundle with Node, so the hook runs the same on every OS. */
const copyEmailTemplates: ICommandHooks = {
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (inputDir, outputDir) => {
    const from = join(inputDir, EMAIL_TEMPLATES_SOURCE).replaceAll('\\', '/');
    const to = join(outputDir, EMAIL_TEMPLATES_IN_BUNDLE).replaceAll('\\', '/');
    return [`node -e "require('node:fs').cpSync('${from}', '${to}', { recursive: true })"`];
  },
};

/**
 * A CommonJS dependency that `require`s a Node built-in fails inside an ESM bundle ("Dynamic require of ... is
 * not supported"), and only at run time in Lambda. Today's dependencies are all ESM (the bundles contain no
 * require shim); the banner defines `require` so that adding a CommonJS one cannot break a deployed function.
 */
const ESM_REQUIRE_BANNER =
  "import { createRequire as tierEngineCreateRequire } from 'node:module'; const require = tierEngineCreateRequire(import.meta.url);";

/** One function's definition, handler file and shared environment. */
export interface TierFunctionProps {
  /** The function's entry in lib/infra/functions.ts: name, timeout, memory, description. */
  readonly definition: FunctionDefinition;
  /** Absolute path of the handler module (`functions/<name>.ts`). */
  readonly entry: string;
  /** The repository root, holding package-lock.json (esbuild resolves dependencies from it). */
  readonly projectRoot: string;
  /** Variables every function gets (program config, service name); grants add the per-resource ones. */
  readonly environment: Record<string, string>;
}

/**
 * One Lambda function with the project's defaults: Node.js 22 on arm64; a local esbuild ESM bundle (minified,
 * no source map, names kept for readable stack traces, the AWS SDK bundled at the lockfile's versions rather than
 * the runtime's, the email templates beside it when the function sends email); its own log group with a
 * retention; its own role that starts with nothing but writing to that log group — every other permission
 * comes from `grantDeclaredAccess`.
 */
export class TierFunction extends Construct {
  readonly definition: FunctionDefinition;
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  private readonly environment = new Map<string, string>();

  constructor(scope: Construct, id: string, props: TierFunctionProps) {
    super(scope, id);
    const { definition } = props;
    this.definition = definition;
    this.logGroup = new LogGroup(this, 'Logs', { retention: RetentionDays.ONE_MONTH });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${definition.name}: only the access lib/infra/functions.ts declares for it`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      handler: 'handler',
      projectRoot: props.projectRoot,
      depsLockFilePath: join(props.projectRoot, 'package-lock.json'),
      description: definition.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: definition.memoryMb,
      timeout: Duration.seconds(definition.timeoutSeconds),
      role: this.role,
      logGroup: this.logGroup,
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        keepNames: true,
        sourceMap: false,
        charset: Charset.UTF8,
        bundleAwsSDK: true,
        externalModules: [],
        forceDockerBundling: false,
        // esbuild's size table for each of the functions says nothing actionable; warnings and errors still show.
        logLevel: LogLevel.WARNING,
        ...(definition.sendsEmail ? { commandHooks: copyEmailTemplates } : {}),
      },
    });
    for (const [key, value] of Object.entries(props.environment)) this.addEnvironment(key, value);
    // Checked at synth, once every grant has added its variable: a deployment would fail much later.
    this.node.addValidation({ validate: () => this.validateEnvironmentSize() });

    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Node.js 22 is the runtime the team builds and tests for (LTS until April 2027, supported by Lambda); moving to ' +
        'Node.js 24 is a deliberate upgrade with its own test run, not something a synth should force.',
    });
  }

  /** Sets an environment variable of the function (and counts it against Lambda's 4 KB limit). */
  addEnvironment(key: string, value: string): void {
    this.environment.set(key, value);
    this.function.addEnvironment(key, value);
  }

  private validateEnvironmentSize(): string[] {
    let bytes = 0;
    for (const [key, value] of this.environment) {
      bytes += Buffer.byteLength(key) + (Token.isUnresolved(value) ? DEPLOY_TIME_VALUE_BYTES : Buffer.byteLength(value));
    }
    return bytes <= LAMBDA_ENVIRONMENT_LIMIT_BYTES
      ? []
      : [
          `The environment of ${this.definition.name} needs about ${bytes} bytes, over Lambda's ${LAMBDA_ENVIRONMENT_LIMIT_BYTES}: ` +
            'the program config (PROGRAM_CONFIG_JSON) is too large to pass in the environment',
        ];
  }
}
