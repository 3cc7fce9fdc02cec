import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLE_ATTRIBUTES, TABLE_KEY_SCHEMA } from '../store/table.js';
import { type DynamoCall, type DynamoProxy, startDynamoProxy } from './dynamo-proxy.js';
import { TwinError } from './errors.js';
import type { Faults } from './faults.js';
import type { Authorization } from './iam.js';

export interface LocalDynamo {
  /** Straight to dynalite: for the twin's own reads (checks, the CLI), never faulted. */
  readonly client: DynamoDBClient;
  readonly table: string;
  /** The endpoint the functions use: the fault proxy when there is one, else dynalite itself. */
  readonly endpoint: string;
  /** Calls through the fault proxy (empty without one). */
  readonly calls: readonly DynamoCall[];
  close(): Promise<void>;
}

export interface LocalDynamoOptions {
  /** Put a fault-injecting proxy in front (`service: dynamodb` rules). */
  readonly faults?: Faults;
  readonly now?: () => Date;
  /** Checks each proxied call against the calling function's role. */
  readonly authorize?: (service: 'dynamodb', action: string) => Authorization;
}

/** Static fakes: nothing local may walk the default credential chain (env, ~/.aws, IMDS). */
export const LOCAL_CREDENTIALS = {
  accessKeyId: 'AKIDTWINLOCAL',
  secretAccessKey: 'twin-local-secret',
} as const;

/**
 * Creates a table in the production layout and waits until it is ACTIVE (dynalite answers "not found"
 * for a tick after CreateTable returns). Tests use it for a fresh table per case.
 */
export async function createStateTable(client: DynamoDBClient, table: string): Promise<string> {
  await client.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [...TABLE_KEY_SCHEMA],
      AttributeDefinitions: [...TABLE_ATTRIBUTES],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  while ((await client.send(new DescribeTableCommand({ TableName: table }))).Table?.TableStatus !== 'ACTIVE')
    await new Promise((resolve) => setTimeout(resolve, 5));
  return table;
}

/**
 * DynamoDB for the twin: an in-process dynalite (a real DynamoDB-protocol server) on a random
 * loopback port, with a fresh table in the production layout.
 */
export async function startLocalDynamo(
  label: string,
  options: LocalDynamoOptions = {},
): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string')
    throw new TwinError('dynalite did not bind a TCP port');
  const endpoint = `http://127.0.0.1:${(address satisfies AddressInfo).port}`;
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS });
  const table = await createStateTable(client, `tw-${label}-${randomUUID().slice(0, 8)}`);
  const proxy: DynamoProxy | undefined =
    options.faults === undefined
      ? undefined
      : await startDynamoProxy(endpoint, {
          faults: options.faults,
          now: options.now ?? (() => new Date()),
          ...(options.authorize === undefined ? {} : { authorize: options.authorize }),
        });
  return {
    client,
    table,
    endpoint: proxy?.endpoint ?? endpoint,
    calls: proxy?.calls ?? [],
    close: async () => {
      client.destroy();
      await proxy?.close();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
