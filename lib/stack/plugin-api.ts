/**
 * What the local Serverless plugin (serverless/tunnel-warden-plugin.cjs) calls, in one module: tsx
 * loads TypeScript into the framework's process once, and a second import through it fails.
 */
export { loadConfig } from '../config/load.js';
export { managedVpnIds } from '../config/site.js';
export { checkRulePatterns } from '../eventbridge/rule-patterns.js';
export { detectionAlarms } from './detection-alarms.js';
