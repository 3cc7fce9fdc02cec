/**
 * A small HTTP proxy in front of dynalite that injects DynamoDB faults: dynalite itself cannot be told to
 * throttle. Requests pass through untouched (headers, body and dynalite's x-amz-crc32 included); a faulted
 * call is answered here in DynamoDB's own error shape and never reaches the table.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Faults } from './faults.js';
import { type Authorization, deniedMessage } from './iam.js';
import { deniedReply, dynamoFault } from './services/fault-replies.js';
import { header, listenOnLoopback, newId, type Reply, readBody } from './services/http.js';

export interface DynamoCall {
  /** `PutItem`, `GetItem`, … from `X-Amz-Target: DynamoDB_20120810.<action>`. */
  readonly action: string;
  /** ISO 8601, the twin's now. */
  readonly at: string;
  readonly errorCode?: string;
  /** The function that made the call, when the twin was running one. */
  readonly caller?: string;
}

export interface DynamoProxy {
  readonly endpoint: string;
  readonly calls: DynamoCall[];
  close(): Promise<void>;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

export async function startDynamoProxy(
  upstream: string,
  options: {
    readonly faults: Faults;
    readonly now: () => Date;
    readonly authorize?: (service: 'dynamodb', action: string) => Authorization;
  },
): Promise<DynamoProxy> {
  const calls: DynamoCall[] = [];
  const target = new URL(upstream);

  const answer = async (incoming: IncomingMessage, response: ServerResponse): Promise<void> => {
    const body = await readBody(incoming);
    const action = (header(incoming.headers, 'x-amz-target') ?? '').replace(TARGET_PREFIX, '');
    const at = options.now().toISOString();
    const auth = options.authorize?.('dynamodb', action) ?? { denied: false };
    const by = auth.caller === undefined ? {} : { caller: auth.caller };
    const refusal = await refusalFor(action, auth, options.faults);
    if (refusal !== undefined) {
      calls.push({
        action,
        at,
        ...by,
        errorCode: refusal.headers?.['x-amzn-errortype'] ?? String(refusal.status),
      });
      response.writeHead(refusal.status, { 'content-type': refusal.contentType, ...refusal.headers });
      response.end(refusal.body);
      return;
    }
    calls.push({ action, at, ...by });
    await forwardUpstream(target, incoming, body, response);
  };

  const server = createServer((incoming, response) => {
    answer(incoming, response).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(
        JSON.stringify({ __type: 'InternalFailure', message: `The DynamoDB proxy failed: ${message}` }),
      );
    });
  });
  const endpoint = await listenOnLoopback(server, 0, 'the DynamoDB fault proxy');
  return {
    endpoint,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * What answers instead of dynalite — a missing grant, or an injected fault after its latency — or undefined
 * to let the call through. A denied call is refused at once, without a fault's latency.
 */
async function refusalFor(action: string, auth: Authorization, faults: Faults): Promise<Reply | undefined> {
  if (auth.denied)
    return deniedReply('dynamodb', deniedMessage('dynamodb', action, auth.caller ?? ''), newId());
  const decision = faults.decideFor('dynamodb', action);
  if (decision.latencyMs > 0) await sleep(decision.latencyMs);
  return decision.error === undefined ? undefined : dynamoFault(decision.error, newId());
}

/** Passes the request to dynalite untouched and streams its answer back. */
function forwardUpstream(
  target: URL,
  incoming: IncomingMessage,
  body: string,
  response: ServerResponse,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const forward = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (upstreamResponse) => {
        response.writeHead(upstreamResponse.statusCode ?? 500, upstreamResponse.headers);
        upstreamResponse.pipe(response);
        upstreamResponse.on('end', resolve);
        upstreamResponse.on('error', reject);
      },
    );
    forward.on('error', reject);
    forward.end(body);
  });
}
