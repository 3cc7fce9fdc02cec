import { createServer, type Server } from 'node:http';

/** A canned EC2 query-protocol reply. */
export interface Reply {
  readonly status: number;
  readonly body: string;
  /** Wait this long before answering (a slow or hung EC2). */
  readonly delayMs?: number;
}

export function ec2ErrorReply(code: string, message: string, status = 400): Reply {
  return {
    status,
    body: `<Response><Errors><Error><Code>${code}</Code><Message>${message}</Message></Error></Errors><RequestID>x</RequestID></Response>`,
  };
}

export function ec2OkReply(action: string): Reply {
  return {
    status: 200,
    body: `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>y</requestId><return>true</return></${action}Response>`,
  };
}

export interface FakeEc2 {
  readonly endpoint: string;
  /** The `Action=` of each request received, in order. */
  readonly actions: string[];
  /** Wall-clock arrival time (ms) of each request, in order. */
  readonly arrivals: number[];
  close(): Promise<void>;
}

/**
 * A loopback EC2 endpoint answering from a script (the last reply repeats), so the real client's
 * protocol parsing and retry strategy run — aws-sdk-client-mock replaces `send` and skips both.
 */
export async function startFakeEc2(script: readonly Reply[]): Promise<FakeEc2> {
  const actions: string[] = [];
  const arrivals: number[] = [];
  const server: Server = createServer((request, response) => {
    arrivals.push(Date.now());
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      actions.push(new URLSearchParams(body).get('Action') ?? '?');
      const reply =
        script[Math.min(actions.length, script.length) - 1] ??
        ec2ErrorReply('InternalError', 'empty script', 500);
      setTimeout(() => {
        if (response.destroyed) return;
        response.writeHead(reply.status, { 'content-type': 'text/xml;charset=UTF-8' });
        response.end(reply.body);
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('expected a TCP address');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    actions,
    arrivals,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; without this, close waits for them to time out.
        server.closeAllConnections();
      }),
  };
}
