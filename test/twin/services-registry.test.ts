import { describe, expect, it } from 'vitest';
import { EVENTS_ACTIONS } from '../../lib/twin/services/eventbridge.js';
import {
  jsonServiceFor,
  queryServiceFor,
  SERVICES,
  type ServicesState,
} from '../../lib/twin/services/registry.js';
import { SNS_ACTIONS, SNS_VERSION } from '../../lib/twin/services/sns.js';
import { newSsmState, SSM_ACTIONS } from '../../lib/twin/services/ssm.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const CALL = { requestId: 'req-1', region: 'us-east-1' };

function state(): ServicesState {
  return { ssm: newSsmState(), snsMessages: [], onPutEvents: () => {}, now: () => NOW, world: undefined };
}

describe('the services registry', () => {
  it('routes an X-Amz-Target to its awsJson1_1 service and operation, and nothing else', () => {
    expect(jsonServiceFor('AmazonSSM.GetParameter')).toMatchObject({
      name: 'ssm',
      operation: 'GetParameter',
    });
    expect(jsonServiceFor('AWSEvents.PutEvents')).toMatchObject({ name: 'events', operation: 'PutEvents' });
    expect(jsonServiceFor('DynamoDB_20120810.GetItem')).toBeUndefined();
  });

  it('routes a form request to its awsQuery service by Version, else by credential scope', () => {
    expect(queryServiceFor(SNS_VERSION, undefined)?.[0]).toBe('sns');
    expect(queryServiceFor(undefined, 'sns')?.[0]).toBe('sns');
    expect(queryServiceFor('2016-11-15', 'ec2')).toBeUndefined();
  });

  it.each([
    ['ssm', SSM_ACTIONS],
    ['events', EVENTS_ACTIONS],
  ] as const)(
    '%s answers an operation it lacks with UnknownOperationException naming what it knows',
    (name, known) => {
      const reply = SERVICES[name].handle('NoSuchOperation', {}, state(), CALL);
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body)).toMatchObject({
        __type: 'UnknownOperationException',
        message: expect.stringContaining(`does not implement NoSuchOperation; it knows ${known.join(', ')}.`),
      });
    },
  );

  it('sns answers an action it lacks with InvalidAction in its XML', () => {
    const reply = SERVICES.sns.handle({ Action: 'Subscribe', Version: SNS_VERSION }, state(), CALL);
    expect(reply.status).toBe(400);
    expect(reply.body).toContain('<Code>InvalidAction</Code>');
    expect(reply.body).toContain(`the SNS twin knows ${SNS_ACTIONS.join(', ')}`);
  });

  it('answers a registered operation through its handler, with the state the twin keeps', () => {
    const s = state();
    const put = SERVICES.ssm.handle('PutParameter', { Name: '/tw/mode', Value: 'disabled' }, s, CALL);
    expect(put.status).toBe(200);
    expect(s.ssm.parameters.get('/tw/mode')).toBe('disabled');
    const published = SERVICES.sns.handle(
      {
        Action: 'Publish',
        Version: SNS_VERSION,
        TopicArn: 'arn:aws:sns:us-east-1:111122223333:t',
        Message: 'hi',
      },
      s,
      CALL,
    );
    expect(published.status).toBe(200);
    expect(s.snsMessages).toMatchObject([{ message: 'hi' }]);
  });

  it("answers an injected fault in each service's own protocol", () => {
    for (const service of Object.values(SERVICES)) {
      expect(service.fault('throttle', 'req-1').status).toBe(400);
      expect(service.fault('server-error', 'req-1').status).toBe(500);
    }
  });
});
