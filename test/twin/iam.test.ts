/**
 * The twin's IAM by action: a call a function's role does not grant is refused as AWS refuses it, so a
 * code path that needs a grant the packaged role lacks fails on the twin — in every test and drill.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeVpnConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEMPLATE_PATH } from '../../lib/eventbridge/package.js';
import { LOCAL_CREDENTIALS, type LocalDynamo, startLocalDynamo } from '../../lib/twin/dynamo.js';
import { type Ec2Twin, startEc2Twin } from '../../lib/twin/ec2-server.js';
import { Faults } from '../../lib/twin/faults.js';
import { CallerScope } from '../../lib/twin/iam.js';
import { loadPackagedFunctions } from '../../lib/twin/packaged-functions.js';
import { type ServicesTwin, startServicesTwin } from '../../lib/twin/services/server.js';
import { demoWorld } from '../../lib/twin/topologies/demo.js';

const callers = new CallerScope();
const authorize = callers.authorize.bind(callers);
let services: ServicesTwin;
let dynamo: LocalDynamo;
let ec2: Ec2Twin;
const clients: { destroy(): void }[] = [];

beforeAll(async () => {
  const now = () => new Date('2026-03-02T10:00:00.000Z');
  services = await startServicesTwin({ onPutEvents: () => undefined, now, authorize });
  services.parameters.set('/tunnel-warden/mode', 'enabled');
  dynamo = await startLocalDynamo('iam', { faults: new Faults(), now, authorize });
  ec2 = await startEc2Twin(demoWorld(now()), { authorize });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await Promise.all([services.close(), dynamo.close(), ec2.close()]);
});

function config(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 };
}
function made<T extends { destroy(): void }>(client: T): T {
  clients.push(client);
  return client;
}

const keepalive = loadPackagedFunctions(TEMPLATE_PATH).get('keepalive');
const asKeepalive = <T>(call: () => Promise<T>) =>
  callers.run({ function: 'keepalive', ...(keepalive?.actions ? { actions: keepalive.actions } : {}) }, call);

describe('a function calling what its role does not grant', () => {
  it('keepalive’s packaged role grants no AWS API', () => {
    expect([...(keepalive?.actions ?? ['missing'])].filter((a) => !/^(logs|sqs):/.test(a))).toEqual([]);
  });

  it('is refused by every service, in its own error shape, and the call is attributed', async () => {
    const ssm = made(new SSMClient(config(services.endpoint)));
    const sns = made(new SNSClient(config(services.endpoint)));
    const ddb = made(new DynamoDBClient(config(dynamo.endpoint)));
    const ec2Client = made(new EC2Client(config(ec2.endpoint)));
    const refused = (p: Promise<unknown>) =>
      asKeepalive(() =>
        p.then(
          () => 'allowed',
          (e: Error) => e.name,
        ),
      );
    expect(await refused(ssm.send(new GetParameterCommand({ Name: '/tunnel-warden/mode' })))).toBe(
      'AccessDeniedException',
    );
    expect(
      await refused(
        sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:111122223333:t', Message: 'm' })),
      ),
    ).toBe('AuthorizationErrorException');
    expect(
      await refused(
        ddb.send(new GetItemCommand({ TableName: dynamo.table, Key: { pk: { S: 'a' }, sk: { S: 'b' } } })),
      ),
    ).toBe('AccessDeniedException');
    expect(await refused(ec2Client.send(new DescribeVpnConnectionsCommand({})))).toBe(
      'UnauthorizedOperation',
    );
    expect(services.calls.map((c) => [c.caller, c.errorCode])).toEqual([
      ['keepalive', 'AccessDeniedException'],
      ['keepalive', 'AuthorizationError'],
    ]);
    expect(ec2.calls.at(-1)).toMatchObject({
      caller: 'keepalive',
      status: 403,
      errorCode: 'UnauthorizedOperation',
    });
  });

  it('is allowed outside any invocation (the twin’s own checks) and when granted', async () => {
    const ssm = made(new SSMClient(config(services.endpoint)));
    await ssm.send(new GetParameterCommand({ Name: '/tunnel-warden/mode' }));
    const out = await callers.run({ function: 'healthCheck', actions: new Set(['ssm:GetParameter']) }, () =>
      ssm.send(new GetParameterCommand({ Name: '/tunnel-warden/mode' })),
    );
    expect(out.Parameter?.Value).toBe('enabled');
  });
});
