/**
 * The services behind the twin's one local endpoint, by name: how a request reaches each (its wire
 * protocol), how it answers an injected fault, and which handler answers it. The server dispatches
 * through this table; adding a service is a file of operations plus one entry here.
 */
import type { FaultService, ServiceFaultDecision } from '../faults.js';
import type { TwinWorld } from '../state.js';
import { type BusEntry, EVENTS_TARGET_PREFIX, handleEvents } from './eventbridge.js';
import { eventsFault, snsFault, ssmFault } from './fault-replies.js';
import type { JsonObject, Reply } from './http.js';
import { handleSns, SNS_VERSION, type SnsMessage } from './sns.js';
import { handleSsm, SSM_TARGET_PREFIX, type SsmState } from './ssm.js';

/** What the services keep between calls; scenarios and tests read and change it through the twin. */
export interface ServicesState {
  readonly ssm: SsmState;
  readonly snsMessages: SnsMessage[];
  readonly onPutEvents: (entries: BusEntry[]) => void;
  readonly now: () => Date;
  readonly world: (() => TwinWorld) | undefined;
}

/** One request, as every handler needs it. */
export interface CallEnv {
  readonly requestId: string;
  /** The Region of the request's SigV4 credential scope. */
  readonly region: string;
}

type FaultKind = NonNullable<ServiceFaultDecision['error']>;

/** awsJson1_1: `X-Amz-Target: <prefix><Operation>`, a JSON object body. */
export interface JsonService {
  readonly protocol: 'awsJson1_1';
  readonly targetPrefix: string;
  readonly fault: (kind: FaultKind, requestId: string) => Reply;
  readonly handle: (operation: string, input: JsonObject, state: ServicesState, call: CallEnv) => Reply;
}

/** awsQuery: a form-encoded POST carrying `Action` and the API `Version`. */
export interface QueryService {
  readonly protocol: 'awsQuery';
  readonly version: string;
  /** The service in the SigV4 credential scope, which identifies a request that lacks `Version`. */
  readonly signingName: string;
  readonly fault: (kind: FaultKind, requestId: string) => Reply;
  readonly handle: (params: Readonly<Record<string, string>>, state: ServicesState, call: CallEnv) => Reply;
}

export const SERVICES = {
  ssm: {
    protocol: 'awsJson1_1',
    targetPrefix: SSM_TARGET_PREFIX,
    fault: ssmFault,
    handle: (operation, input, state, { requestId, region }) =>
      handleSsm(operation, input, {
        state: state.ssm,
        now: state.now,
        region,
        requestId,
        world: state.world,
      }),
  },
  events: {
    protocol: 'awsJson1_1',
    targetPrefix: EVENTS_TARGET_PREFIX,
    fault: eventsFault,
    handle: (operation, input, state, { requestId, region }) =>
      handleEvents(operation, input, { now: state.now, region, requestId, onPutEvents: state.onPutEvents }),
  },
  sns: {
    protocol: 'awsQuery',
    version: SNS_VERSION,
    signingName: 'sns',
    fault: snsFault,
    handle: (params, state, { requestId }) =>
      handleSns(params, { now: state.now, requestId, record: (m) => state.snsMessages.push(m) }),
  },
  // A service here is one faults can target and IAM can grant: its name is a FaultService.
} as const satisfies Partial<Readonly<Record<FaultService, JsonService | QueryService>>>;

export type ServiceName = keyof typeof SERVICES;

type Entry<S> = readonly [ServiceName, S];

/** The registry's services with their names (Object.entries widens the keys to string). */
function serviceEntries(): Entry<JsonService | QueryService>[] {
  return Object.entries(SERVICES).map(([name, service]) => [name as ServiceName, service] as const);
}

export function jsonServices(): Entry<JsonService>[] {
  return serviceEntries().flatMap(([name, service]) =>
    service.protocol === 'awsJson1_1' ? [[name, service] as const] : [],
  );
}

/** The awsJson1_1 service whose target prefix the X-Amz-Target header carries, and the operation. */
export function jsonServiceFor(
  target: string,
): { name: ServiceName; service: JsonService; operation: string } | undefined {
  const found = jsonServices().find(([, service]) => target.startsWith(service.targetPrefix));
  if (found === undefined) return undefined;
  const [name, service] = found;
  return { name, service, operation: target.slice(service.targetPrefix.length) };
}

/** The awsQuery service a form request is for: by its API Version, else by its credential scope. */
export function queryServiceFor(
  version: string | undefined,
  signingName: string | undefined,
): Entry<QueryService> | undefined {
  const services = serviceEntries().flatMap(([name, service]) =>
    service.protocol === 'awsQuery' ? [[name, service] as const] : [],
  );
  return services.find(([, s]) => s.version === version || s.signingName === signingName);
}

/** `SSM and EventBridge over awsJson1_1, SNS 2010-03-31 over the query protocol`, from the registry. */
export function spoken(): string {
  return serviceEntries()
    .map(([name, s]) =>
      s.protocol === 'awsJson1_1'
        ? `${name} over awsJson1_1`
        : `${name} ${s.version} over the query protocol`,
    )
    .join(', ');
}
