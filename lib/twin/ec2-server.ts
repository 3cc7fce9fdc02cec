/**
 * The twin's EC2 endpoint: node:http on 127.0.0.1 speaking the EC2 query protocol, so the real AWS SDK
 * (signing, serialisation, retries, XML parsing) runs unchanged against it; only the endpoint differs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { TwinClock } from './clock.js';
import { handleEc2Request } from './ec2-api.js';
import { Ec2ApiError } from './errors.js';
import { Faults } from './faults.js';
import { type Authorization, deniedMessage } from './iam.js';
import { parseForm } from './query.js';
import { listenOnLoopback, readBody } from './services/http.js';
import type { TwinWorld } from './state.js';
import { settle } from './tunnels.js';
import { errorResponse } from './xml.js';

/** One request as the twin saw it: count calls, retries and failures from these. */
export interface CallRecord {
  readonly action: string;
  readonly params: Readonly<Record<string, string>>;
  /** Twin clock time, ISO 8601. */
  readonly at: string;
  readonly status: number;
  readonly errorCode?: string;
  readonly requestId: string;
  /** The function that made the call, when the twin was running one. */
  readonly caller?: string;
}

export interface Ec2TwinOptions {
  readonly clock?: TwinClock;
  readonly faults?: Faults;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Refuse writes to resources not tagged `tunnel-warden:managed=true`, like the IAM policy. Default true. */
  readonly enforceManagedTag?: boolean;
  /** Checks each call against the calling function's role (the twin's CallerScope); default: all allowed. */
  readonly authorize?: (service: 'ec2', action: string) => Authorization;
}

export interface Ec2Twin {
  /** `http://127.0.0.1:<port>`, for `ec2Client({ endpoint })` or AWS_ENDPOINT_URL_EC2. */
  readonly endpoint: string;
  readonly calls: CallRecord[];
  readonly world: TwinWorld;
  readonly clock: TwinClock;
  readonly faults: Faults;
  close(): Promise<void>;
}

export async function startEc2Twin(world: TwinWorld, options: Ec2TwinOptions = {}): Promise<Ec2Twin> {
  const clock = options.clock ?? new TwinClock();
  const faults = options.faults ?? new Faults();
  const ctx = { world, now: () => clock.now(), enforceManagedTag: options.enforceManagedTag ?? true };
  const calls: CallRecord[] = [];
  let requests = 0;
  // Replacements complete when the clock passes them, whether or not anyone is calling.
  settle(world, clock.now());
  const unsubscribe = clock.subscribe((now) => settle(world, now));

  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = requestIdOf(++requests);
    const body = await readBody(request);
    const query = new URL(request.url ?? '/', 'http://twin').searchParams;
    const params = { ...Object.fromEntries(query), ...parseForm(body) };
    const action = params.Action ?? '';
    const at = clock.now().toISOString();
    const auth = options.authorize?.('ec2', action) ?? { denied: false };
    const error = await refusalFor(action, auth, faults);
    settle(world, clock.now());
    const reply =
      error === undefined ? handleEc2Request(ctx, params, requestId) : errorReply(error, requestId);
    calls.push({
      action,
      params,
      at,
      status: reply.status,
      requestId,
      ...(reply.errorCode === undefined ? {} : { errorCode: reply.errorCode }),
      ...(auth.caller === undefined ? {} : { caller: auth.caller }),
    });
    response.writeHead(reply.status, {
      'content-type': 'text/xml;charset=UTF-8',
      'x-amzn-requestid': requestId,
    });
    response.end(reply.body);
  };

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/xml;charset=UTF-8' });
      response.end(errorResponse('InternalError', `The twin failed: ${message}`, 'twin'));
    });
  });
  const endpoint = await listenOnLoopback(server, options.port ?? 0, 'the EC2 twin');
  return {
    endpoint,
    calls,
    world,
    clock,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        unsubscribe();
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

/**
 * The error that answers instead of EC2 — a missing grant, or an injected fault after its latency — or
 * undefined to let EC2 answer. A denied call is refused at once, without a fault's latency.
 */
async function refusalFor(
  action: string,
  auth: Authorization,
  faults: Faults,
): Promise<Ec2ApiError | undefined> {
  if (auth.denied) {
    return new Ec2ApiError(
      'UnauthorizedOperation',
      `You are not authorized to perform this operation. ${deniedMessage('ec2', action, auth.caller ?? '')}`,
      403,
    );
  }
  const fault = faults.decide(action);
  if (fault.latencyMs > 0) await sleep(fault.latencyMs);
  return fault.error;
}

function errorReply(
  error: Ec2ApiError,
  requestId: string,
): { status: number; body: string; errorCode: string } {
  return {
    status: error.httpStatus,
    body: errorResponse(error.code, error.ec2Message, requestId),
    errorCode: error.code,
  };
}

/** Deterministic, UUID-shaped request ids: the n-th request of this twin. */
function requestIdOf(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
