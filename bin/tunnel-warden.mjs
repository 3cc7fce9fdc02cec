#!/usr/bin/env node
// The CLI runs the TypeScript sources directly, so `npx tunnel-warden` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../lib/cli/main.ts');
