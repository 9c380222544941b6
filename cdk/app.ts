import { createTierEngineApp, STACK_NAME } from './tier-engine-app.js';
import { describeSynthesis, synthesizeWithBundlingCounted } from './synth-report.js';

// `npx cdk synth | deploy`: context from cdk.json and -c flags, program config from PROGRAM_CONFIG (or the default).
// Functions are bundled as the stack is built, so both steps run with the per-bundle lines counted.
const { result, bundled } = synthesizeWithBundlingCounted(() => {
  const { app } = createTierEngineApp({ programConfigPath: process.env.PROGRAM_CONFIG || undefined });
  return { app, assembly: app.synth() };
});
const { app, assembly } = result;
// The template goes to cdk.out only (cdk.json sets "quiet"); a person reads this summary.
console.error(describeSynthesis(app, assembly, STACK_NAME, bundled).join('\n'));
