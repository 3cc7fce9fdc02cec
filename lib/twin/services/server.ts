/**
 * The twin's non-EC2 services: SSM, EventBridge and SNS behind one node:http server on 127.0.0.1. It
 * speaks their real wire protocols (awsJson1_1 for SSM and EventBridge, awsQuery for SNS), so the AWS
 * SDK v3 clients run unchanged against it; only the endpoint differs.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultService, Faults } from '../faults.js';
import { type Authorization, deniedMessage } from '../iam.js';
import type { TwinWorld } from '../state.js';
import type { BusEntry } from './eventbridge.js';
import { deniedReply } from './fault-replies.js';
import {
  credentialScope,
  DEFAULT_REGION,
  header,
  jsonError,
  listenOnLoopback,
  newId,
  notUnderstood,
  parseJsonObject,
  type Reply,
  readBody,
} from './http.js';
import {
  type CallEnv,
  jsonServiceFor,
  jsonServices,
  type QueryService,
  queryServiceFor,
  SERVICES,
  type ServiceName,
  type ServicesState,
  spoken,
} from './registry.js';
import type { CommandRecord } from './run-command/records.js';
import { parseForm, type SnsMessage } from './sns.js';
import { newSsmState } from './ssm.js';

export type { BusEntry } from './eventbridge.js';
export type { CommandInvocationRecord, CommandRecord, LineRun } from './run-command/records.js';
export type { SnsMessage } from './sns.js';

export interface ServicesTwinOptions {
  /** Receives the accepted entries of each PutEvents, synchronously, before the SDK gets its answer. */
  readonly onPutEvents: (entries: BusEntry[]) => void;
  readonly now: () => Date;
  /** The world SSM Run Command finds its instances and data plane in, read at each SendCommand; without one, no instance is known. */
  readonly world?: () => TwinWorld;
  /** Faults to inject (`service: ssm | events | sns` rules); none by default. */
  readonly faults?: Faults;
  /** Checks each call against the calling function's role (the twin's CallerScope); default: all allowed. */
  readonly authorize?: (service: FaultService, action: string) => Authorization;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

export interface ServiceCall {
  readonly service: ServiceName;
  readonly action: string;
  /** ISO 8601, the twin's now. */
  readonly at: string;
  /** The error an injected fault (or a missing grant) answered with instead of the service. */
  readonly errorCode?: string;
  /** The function that made the call, when the twin was running one. */
  readonly caller?: string;
}

export interface ServicesTwin {
  /** `http://127.0.0.1:<port>`, the endpoint of the SSM, EventBridge and SNS clients alike. */
  readonly endpoint: string;
  /** SSM parameters, name → value; scenarios may change them between calls. */
  readonly parameters: Map<string, string>;
  readonly snsMessages: SnsMessage[];
  /** SSM Run Command: every command accepted, with its invocations, in order. */
  readonly commands: CommandRecord[];
  readonly calls: ServiceCall[];
  close(): Promise<void>;
}

export async function startServicesTwin(options: ServicesTwinOptions): Promise<ServicesTwin> {
  const state: ServicesState = {
    ssm: newSsmState(),
    snsMessages: [],
    onPutEvents: options.onPutEvents,
    now: options.now,
    world: options.world,
  };
  const calls: ServiceCall[] = [];
  const { now } = options;
  const called = (service: ServiceName, action: string) => {
    const auth = options.authorize?.(service, action) ?? { denied: false };
    calls.push({
      service,
      action,
      at: now().toISOString(),
      ...(auth.caller === undefined ? {} : { caller: auth.caller }),
    });
    return auth;
  };

  /** An injected fault's reply for this call, after its latency; undefined to let the service answer. */
  const faulted = async (
    service: ServiceName,
    action: string,
    requestId: string,
    auth: Authorization,
  ): Promise<Reply | undefined> => {
    const denied = auth.denied
      ? deniedReply(service, deniedMessage(service, action, auth.caller ?? ''), requestId)
      : undefined;
    const decision =
      denied === undefined ? options.faults?.decideFor(service satisfies FaultService, action) : undefined;
    if (decision !== undefined && decision.latencyMs > 0) await sleep(decision.latencyMs);
    if (denied === undefined && decision?.error === undefined) return undefined;
    const reply = denied ?? SERVICES[service].fault(decision?.error ?? 'server-error', requestId);
    const last = calls.at(-1);
    if (last !== undefined) calls[calls.length - 1] = { ...last, errorCode: faultCode(reply) };
    return reply;
  };

  /** Records the call, then answers it with a missing grant or an injected fault if there is one. */
  const refused = (service: ServiceName, action: string, requestId: string): Promise<Reply | undefined> =>
    faulted(service, action, requestId, called(service, action));

  /** awsJson1_1: the service is the X-Amz-Target's prefix, the body a JSON object. */
  const dispatchJson = async (target: string, body: string, call: CallEnv): Promise<Reply> => {
    const found = jsonServiceFor(target);
    if (found === undefined) {
      const prefixes = jsonServices().map(([, s]) => `${s.targetPrefix}*`);
      return notUnderstood(
        `X-Amz-Target ${target} (the twin speaks ${prefixes.join(' and ')})`,
        call.requestId,
      );
    }
    const { name, service, operation } = found;
    const fault = await refused(name, operation, call.requestId);
    if (fault !== undefined) return fault;
    const input = parseJsonObject(body);
    if (input === undefined) {
      return jsonError(
        400,
        'SerializationException',
        `The body of ${target} is not a JSON object.`,
        call.requestId,
      );
    }
    return service.handle(operation, input, state, call);
  };

  /** awsQuery: a form whose Action names the operation. */
  const dispatchQuery = async (
    [name, service]: readonly [ServiceName, QueryService],
    params: Readonly<Record<string, string>>,
    call: CallEnv,
  ): Promise<Reply> => {
    const fault = await refused(name, params.Action ?? '', call.requestId);
    if (fault !== undefined) return fault;
    return service.handle(params, state, call);
  };

  const dispatch = async (request: IncomingMessage): Promise<Reply> => {
    const requestId = newId();
    const body = await readBody(request);
    const scope = credentialScope(request.headers);
    const region = scope?.region ?? DEFAULT_REGION;
    if (request.method !== 'POST') {
      return notUnderstood(
        `${request.method ?? '?'} ${request.url ?? '/'}: every AWS call here is a POST`,
        requestId,
      );
    }
    const call = { requestId, region };
    const target = header(request.headers, 'x-amz-target');
    if (target !== undefined) return dispatchJson(target, body, call);
    const params = parseForm(body);
    const query = queryServiceFor(params.Version, scope?.service);
    if (query !== undefined) return dispatchQuery(query, params, call);
    return notUnderstood(unspokenRequest(params, header(request.headers, 'content-type')), requestId);
  };

  const server = createServer((request, response) => {
    dispatch(request)
      .then((reply) => {
        response.writeHead(reply.status, { 'content-type': reply.contentType, ...reply.headers });
        response.end(reply.body);
      })
      .catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({ __type: 'InternalFailure', message: `The services twin failed: ${message}` }),
        );
      });
  });
  const endpoint = await listenOnLoopback(server, options.port ?? 0, 'the services twin');
  return {
    endpoint,
    parameters: state.ssm.parameters,
    snsMessages: state.snsMessages,
    commands: state.ssm.commands,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

/** What the twin could not place: neither a JSON target nor a form of a query service it speaks. */
function unspokenRequest(params: Readonly<Record<string, string>>, contentType: string | undefined): string {
  const what =
    params.Action === undefined ? 'a request with no X-Amz-Target and no Action' : `Action=${params.Action}`;
  return `${what}, Version=${params.Version ?? '(none)'}, content-type ${contentType ?? '(none)'} (the twin speaks ${spoken()})`;
}

/** The error code of a fault reply: `__type` of a JSON one, `<Code>` of an XML one. */
function faultCode(reply: Reply): string {
  const json = /"__type":"(?:[^"#]*#)?([^"]+)"/.exec(reply.body)?.[1];
  return json ?? /<Code>([^<]+)<\/Code>/.exec(reply.body)?.[1] ?? String(reply.status);
}
