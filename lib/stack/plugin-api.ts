/**
 * What the local Serverless plugin (serverless/tunnel-warden-plugin.cjs) calls, in one module: tsx
 * loads TypeScript into the framework's process once, and a second import through it fails.
 */
export { loadConfig } from '../config/load.js';
export { checkRulePatterns } from '../eventbridge/rule-patterns.js';
export { managedVpnIds } from '../usecases/scope.js';
export { detectionAlarms } from './detection-alarms.js';
