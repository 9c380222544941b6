import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import type { Stack } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_TEMPLATES_IN_BUNDLE, EMAIL_TEMPLATES_SOURCE } from '../../cdk/constructs/tier-function.js';
import { PROJECT_ROOT } from '../../cdk/tier-engine-app.js';
import { functions } from '../../lib/infra/functions.js';
import { postWebhook, testStack } from '../support/local-stack.js';
import { acknowledgedRules } from '../../cdk/synth-report.js';
import { resourcesOfType, synthesizeTierEngine, type SynthesizedStack } from './synthesized-stack.js';

/** The findings this app acknowledges, each reviewed (reasons in cdk/constructs): anything else must be fixed. */
const REVIEWED_ACKNOWLEDGEMENTS = ['AwsSolutions-APIG4', 'AwsSolutions-L1', 'AwsSolutions-SMG4', 'AwsSolutions-SQS3'];
/** A bundle far above today's ~0.9 MB means a dependency slipped in by accident. */
const BUNDLE_BUDGET_BYTES = 2 * 1024 * 1024;

let synthesized: SynthesizedStack;
beforeAll(() => {
  // The one synth of the suite that runs esbuild for every function and every validation, as `npx cdk synth` does.
  synthesized = synthesizeTierEngine({ bundle: true, cloudFormationValidation: true });
}, 180_000);
afterAll(() => synthesized?.dispose());

function bundleDirectory(name: string): string {
  const fn = resourcesOfType(synthesized.template, 'AWS::Lambda::Function')[synthesized.functionLogicalId(name)]!;
  const key = fn.Properties.Code.S3Key as string;
  return join(synthesized.assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
}

describe('cdk-nag (AwsSolutions) and CloudFormation validation', () => {
  it('report no unacknowledged finding: the synth succeeds and the validation report holds no violation', () => {
    const reportPath = join(synthesized.assembly.directory, 'validation-report.json');
    expect(existsSync(reportPath)).toBe(true);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { pluginReports: { violations: unknown[] }[] };
    expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
  });

  it('fail the synth when a resource breaks an AwsSolutions rule: cdk-nag is wired into the app', () => {
    const addQueueWithoutDeadLetterQueueOrTls = (stack: Stack) => void new Queue(stack, 'NonCompliantProbe');
    expect(() => synthesizeTierEngine({ beforeSynth: addQueueWithoutDeadLetterQueueOrTls }).dispose()).toThrow(
      /AwsSolutions-SQS3[\s\S]*NonCompliantProbe|NonCompliantProbe[\s\S]*AwsSolutions-SQS3/,
    );
  });

  it('acknowledges only reviewed rules, each with a reason a reviewer can check', () => {
    const acknowledged = acknowledgedRules(synthesized.stack);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, path, reason } of acknowledged) {
      expect(REVIEWED_ACKNOWLEDGEMENTS, `${id} at ${path}`).toContain(id);
      expect(reason.length, `${id} at ${path}`).toBeGreaterThan(60);
    }
  });
});

describe('function bundles', () => {
  it.each(functions.map((definition) => [definition.name]))('%s is one ESM file, bundled locally, under the size budget', (name) => {
    const directory = bundleDirectory(name);
    expect(readdirSync(directory).filter((entry) => entry !== EMAIL_TEMPLATES_IN_BUNDLE)).toEqual(['index.mjs']);
    expect(statSync(join(directory, 'index.mjs')).size).toBeLessThan(BUNDLE_BUDGET_BYTES);
  });

  it.each(functions.map((definition) => [definition.name, definition.sendsEmail === true] as const))(
    '%s ships the email templates beside index.mjs if and only if it sends email (%s): tier-email.ts reads them at run time',
    (name, sendsEmail) => {
      const shipped = join(bundleDirectory(name), EMAIL_TEMPLATES_IN_BUNDLE);
      if (!sendsEmail) {
        expect(existsSync(shipped)).toBe(false);
        return;
      }
      const source = join(PROJECT_ROOT, EMAIL_TEMPLATES_SOURCE);
      expect(readdirSync(shipped).sort()).toEqual(readdirSync(source).sort());
      for (const file of readdirSync(source)) expect(readFileSync(join(shipped, file), 'utf8'), file).toBe(readFileSync(join(source, file), 'utf8'));
    },
  );

  it.each(functions.map((definition) => [definition.name]))('%s loads on Node as an ES module and exports handler', (name) => {
    const fn = resourcesOfType(synthesized.template, 'AWS::Lambda::Function')[synthesized.functionLogicalId(name)]!;
    // Deploy-time values (table names, queue URLs, ARNs) become placeholders: loading must not need AWS.
    const environment = Object.fromEntries(
      Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'string' ? value : `placeholder-${key}`]),
    );
    const bundle = join(bundleDirectory(name), 'index.mjs');
    const exported = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(bundle)}); process.stdout.write(typeof m.handler);`], {
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...environment },
      encoding: 'utf8',
    });
    expect(exported).toBe('function');
  });
});

describe('the send-tier-email bundle end to end', () => {
  it('run as Lambda runs it, against the local AWS servers, renders the Russian tier-up email from the shipped templates and sends it through SES', async () => {
    const stack = testStack();
    const contact = `buyer-${Date.now()}@bundle.example`;
    const groupId = `G-BUNDLE-${Date.now()}`;
    const posted = await postWebhook(stack, 'groups', { groups: [{ groupId, name: 'ГК Бандл', contacts: [contact], locale: 'ru', version: 1 }] });
    expect(posted.status).toBe(202);
    const change = { eventId: `${groupId}/2026-11-21/1`, groupId, asOf: '2026-11-21', from: 'base', to: 'bronze', direction: 'up', sum: '6000000', seq: 1 };
    const event = {
      Records: [
        {
          messageId: 'bundle-test-1',
          receiptHandle: 'bundle-test-1',
          body: JSON.stringify(change),
          attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()), SenderId: 'test', ApproximateFirstReceiveTimestamp: String(Date.now()) },
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:tier-emails',
          awsRegion: 'us-east-1',
        },
      ],
    };
    const fn = resourcesOfType(synthesized.template, 'AWS::Lambda::Function')[synthesized.functionLogicalId('send-tier-email')]!;
    const deployedLiterals = Object.fromEntries(
      Object.entries(fn.Properties.Environment.Variables as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
    const runner = fileURLToPath(new URL('./invoke-bundle.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [runner, join(bundleDirectory('send-tier-email'), 'index.mjs'), JSON.stringify(event)], {
      // The deployed literals (program, sender, service) plus the local stack's endpoints and table names.
      env: { PATH: process.env.PATH, ...deployedLiterals, ...stack.env, POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'WARN' },
      encoding: 'utf8',
    });
    expect(JSON.parse(stdout)).toEqual({ batchItemFailures: [] });
    const store = (await (await fetch(`${stack.endpoints.sesEndpoint}/store`)).json()) as { emails: { from: string; destination: { to: string[] }; subject: string }[] };
    const sent = store.emails.filter((email) => email.destination.to.includes(contact));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.from).toContain(deployedLiterals.SENDER_ADDRESS);
    expect(sent[0]?.subject).toContain('Бронза');
  });
});

describe('the get-console bundle', () => {
  it('run as Lambda runs it, serves the console page the build wrote, gzipped, with no secret or table', async () => {
    const page = JSON.parse(readFileSync(join(PROJECT_ROOT, 'lib/console/dist/page.json'), 'utf8')) as { html: string; etag: string };
    const event = {
      version: '2.0',
      routeKey: 'GET /console',
      rawPath: '/console',
      rawQueryString: '',
      headers: { 'accept-encoding': 'gzip, br' },
      requestContext: { http: { method: 'GET', path: '/console' }, requestId: 'bundle-console-1' },
      isBase64Encoded: false,
    };
    const runner = fileURLToPath(new URL('./invoke-bundle.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [runner, join(bundleDirectory('get-console'), 'index.mjs'), JSON.stringify(event)], {
      env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'WARN' },
      encoding: 'utf8',
    });
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ statusCode: 200, isBase64Encoded: true, headers: { 'content-encoding': 'gzip', etag: page.etag } });
    expect(gunzipSync(Buffer.from(result.body, 'base64')).toString('utf8')).toBe(page.html);
  });
});
