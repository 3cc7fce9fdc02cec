/**
 * The DynamoDB calls of the incident store and what their failures mean: an IncidentStoreError that says
 * what failed, or, for a conditional write, a failed condition that is an answer rather than an error.
 */
import {
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { isConditionFailure } from '../store/table.js';
import type { Item } from './dynamo-items.js';
import { IncidentStoreError } from './errors.js';

export function storeError(what: string, cause: unknown): IncidentStoreError {
  // The cause's message goes into ours so the CLI, which prints only the message, says what failed.
  const reason = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return new IncidentStoreError(`${what} (${reason})`, { cause });
}

export async function attempt<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw storeError(what, error);
  }
}

/** A write whose failed condition is an answer (a newer item is there, or a duplicate), not an error. */
export async function conditional(what: string, write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw storeError(what, error);
  }
}

/** A PutItem through `conditional`: false if its condition failed. */
export function conditionalPut(
  client: DynamoDBClient,
  table: string,
  what: string,
  input: Omit<PutItemCommandInput, 'TableName'>,
): Promise<boolean> {
  return conditional(what, () => client.send(new PutItemCommand({ TableName: table, ...input })));
}

/** A consistent GetItem, of the whole item or of the `projection` attributes. */
export async function getItem(
  client: DynamoDBClient,
  table: string,
  what: string,
  Key: Item,
  projection?: string,
): Promise<Item | undefined> {
  const projected = projection === undefined ? {} : { ProjectionExpression: projection };
  const { Item } = await attempt(what, () =>
    client.send(new GetItemCommand({ TableName: table, Key, ...projected, ConsistentRead: true })),
  );
  return Item;
}

/** A Query, page by page until the last. */
export async function* queryPages(
  client: DynamoDBClient,
  table: string,
  what: string,
  input: Omit<QueryCommandInput, 'TableName'>,
): AsyncGenerator<Item[]> {
  let start: Item | undefined;
  do {
    const page = await attempt(what, () =>
      client.send(
        new QueryCommand({
          TableName: table,
          ...input,
          ...(start === undefined ? {} : { ExclusiveStartKey: start }),
        }),
      ),
    );
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
}
