/** The twin's SSM, EventBridge and SNS: one local endpoint the real SDK clients talk to. */
export type { BusEntry } from './eventbridge.js';
export {
  type ServiceCall,
  type ServicesTwin,
  type ServicesTwinOptions,
  startServicesTwin,
} from './server.js';
export type { SnsMessage } from './sns.js';
