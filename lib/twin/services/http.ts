/**
 * Wire helpers shared by the services twin: reading a request, the signing region, and the two reply
 * shapes (awsJson1_1 and awsQuery XML) with their error envelopes, as the AWS SDK v3 parses them.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, Server } from 'node:http';
import { TwinError } from '../errors.js';
import { escapeXml } from '../xml.js';

/** The account every twin ARN and event carries. */
export const TWIN_ACCOUNT = '111122223333';
export const DEFAULT_REGION = 'us-east-1';

/** A service handler's answer; the server writes it verbatim. */
export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export type JsonObject = Record<string, unknown>;

export const newId = (): string => randomUUID();

/** Listens on 127.0.0.1 (port 0: any free one) and returns the endpoint; the twin never leaves loopback. */
export async function listenOnLoopback(server: Server, port: number, what: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new TwinError(`${what} has no TCP address`);
  return `http://127.0.0.1:${address.port}`;
}

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `Credential=<key>/<date>/<region>/<service>/aws4_request` of a SigV4 Authorization header. */
export function credentialScope(
  headers: IncomingHttpHeaders,
): { region: string; service: string } | undefined {
  const match = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/.exec(
    header(headers, 'authorization') ?? '',
  );
  const [, region, service] = match ?? [];
  return region === undefined || service === undefined ? undefined : { region, service };
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as a JSON object, or undefined when it is not one. */
export function parseJsonObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text === '' ? '{}' : text);
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function stringField(input: JsonObject, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
}

const AMZ_JSON = 'application/x-amz-json-1.1';

export function jsonReply(body: unknown, requestId: string): Reply {
  return {
    status: 200,
    contentType: AMZ_JSON,
    body: JSON.stringify(body),
    headers: { 'x-amzn-requestid': requestId },
  };
}

/**
 * An awsJson1_1 error. The SDK takes the code from `__type` (then `code`, then `x-amzn-errortype`), strips
 * any `namespace#` prefix, and looks the shape up in the client's error registry: a modelled code becomes
 * an instance of its exception class (`instanceof ParameterNotFound`), anything else a ServiceException.
 */
export function jsonError(status: number, type: string, message: string, requestId: string): Reply {
  return {
    status,
    contentType: AMZ_JSON,
    body: JSON.stringify({ __type: type, message }),
    headers: { 'x-amzn-errortype': type, 'x-amzn-requestid': requestId },
  };
}

export { escapeXml };

export function xmlReply(body: string, requestId: string): Reply {
  return { status: 200, contentType: 'text/xml', body, headers: { 'x-amzn-requestid': requestId } };
}

/**
 * An awsQuery error. The SDK reads `Error.Code` and maps it through the `awsQueryError` trait, so SNS's
 * `InvalidParameter` becomes an `InvalidParameterException` whose `Error.Code` is `InvalidParameter`.
 */
export function queryError(
  xmlns: string,
  status: number,
  code: string,
  message: string,
  requestId: string,
  type: 'Sender' | 'Receiver' = 'Sender',
): Reply {
  const body =
    `<ErrorResponse xmlns="${xmlns}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status, contentType: 'text/xml', body, headers: { 'x-amzn-requestid': requestId } };
}

/** A request the twin cannot place at all: plain JSON, so that any client or curl shows the reason. */
export function notUnderstood(message: string, requestId: string): Reply {
  return jsonError(
    400,
    'UnrecognizedRequest',
    `The services twin did not understand this request: ${message}`,
    requestId,
  );
}
