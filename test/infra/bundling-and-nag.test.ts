import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions } from '../../lib/infra/functions.js';
import { acknowledgedRules, resourcesOfType, synthesizeTierEngine, type SynthesizedStack } from './synthesized-stack.js';

/** The findings this app acknowledges, each reviewed (reasons in cdk/constructs): anything else must be fixed. */
const REVIEWED_ACKNOWLEDGEMENTS = ['AwsSolutions-APIG4', 'AwsSolutions-L1', 'AwsSolutions-SMG4', 'AwsSolutions-SQS3'];
/** A bundle far above today's ~0.9 MB means a dependency slipped in by accident. */
const BUNDLE_BUDGET_BYTES = 2 * 1024 * 1024;

let synthesized: SynthesizedStack;
beforeAll(() => {
  // The one synth of the suite that runs esbuild for every function, as `npx cdk synth` does.
  synthesized = synthesizeTierEngine({ bundle: true });
}, 180_000);
afterAll(() => synthesized?.dispose());

function bundleDirectory(name: string): string {
  const fn = resourcesOfType(synthesized.template, 'AWS::Lambda::Function')[synthesized.functionLogicalId(name)]!;
  const key = fn.Properties.Code.S3Key as string;
  return join(synthesized.assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
}

describe('cdk-nag (AwsSolutions)', () => {
  it('reports no unacknowledged finding: the synth succeeds and the validation report holds no violation', () => {
    const reportPath = join(synthesized.assembly.directory, 'validation-report.json');
    const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, 'utf8')) as { pluginReports: { violations: unknown[] }[] }) : { pluginReports: [] };
    expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
  });

  it('acknowledges only reviewed rules, each with a reason a reviewer can check', () => {
    const acknowledged = acknowledgedRules(synthesized.stack);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, path, reason } of acknowledged) {
      expect(REVIEWED_ACKNOWLEDGEMENTS, `${id} at ${path}`).toContain(id.replace(/^annotation::/i, ''));
      expect(reason.length, `${id} at ${path}`).toBeGreaterThan(60);
    }
  });
});

describe('function bundles', () => {
  it.each(functions.map((definition) => [definition.name]))('%s is one ESM file, bundled locally, under the size budget', (name) => {
    const directory = bundleDirectory(name);
    expect(readdirSync(directory)).toEqual(['index.mjs']);
    expect(statSync(join(directory, 'index.mjs')).size).toBeLessThan(BUNDLE_BUDGET_BYTES);
  });

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
