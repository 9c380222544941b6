import { setupTestStack } from './local-stack.js';

await setupTestStack();
