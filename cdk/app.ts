import { createTierEngineApp } from './tier-engine-app.js';

// `npx cdk synth | deploy`: context from cdk.json and -c flags, program config from PROGRAM_CONFIG (or the default).
const { app } = createTierEngineApp({ programConfigPath: process.env.PROGRAM_CONFIG || undefined });
app.synth();
