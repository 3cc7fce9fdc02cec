/** The twin: a local, in-memory AWS for the VPN domain. See design.md, "The twin". */

export { AsyncInvoker } from './async-invoke.js';
export { DEFAULT_TWIN_START, TwinClock } from './clock.js';
export { ASYNC_RETRY_DELAYS_MS, type DeadLetter, type Delivery } from './deliver.js';
export { EC2_ACTIONS, type Ec2ApiContext, handleEc2Request, MANAGED_TAG_KEY } from './ec2-api.js';
export { type CallRecord, type Ec2Twin, type Ec2TwinOptions, startEc2Twin } from './ec2-server.js';
export { Ec2ApiError, TwinError } from './errors.js';
export {
  FAULT_KINDS,
  FAULT_SERVICES,
  type FaultDecision,
  type FaultKind,
  type FaultRule,
  type FaultService,
  Faults,
} from './faults.js';
export { type Caller, CallerScope } from './iam.js';
export { MAX_ADVANCE_MS, MAX_LATENCY_MS } from './limits.js';
export * from './mutations-routes.js';
export * from './mutations-vpn.js';
export { loadPackagedFunctions, type PackagedFunction } from './packaged-functions.js';
export { type ProbeRequest, type ProbeResult, probe } from './probe.js';
export {
  type EffectiveTgwRoute,
  type EffectiveVpcRoute,
  effectiveTgwRoutes,
  effectiveVpcRoutes,
  selectTgwRoute,
  selectVpcRoute,
} from './routing.js';
export * from './state.js';
export { DEMO, demoWorld } from './topologies/demo.js';
export { refreshTelemetry, setTrafficPassing, setTunnelStatus, settle } from './tunnels.js';
