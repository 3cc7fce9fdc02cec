import { EC2Client, ReplaceTransitGatewayRouteCommand } from '@aws-sdk/client-ec2';
import {
  GetCommandInvocationCommand,
  type GetCommandInvocationCommandOutput,
  InvalidDocument,
  InvalidInstanceId,
  InvocationDoesNotExist,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  type SendCommandCommandOutput,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { createRoute } from '../../lib/twin/mutations-routes.js';
import { DEMO, demoInstances, demoWorld } from '../../lib/twin/topologies/demo.js';
import { setTrafficPassing, setTunnelStatus } from '../../lib/twin/tunnels.js';
import { Twin } from '../../lib/twin/twin.js';

const credentials = { accessKeyId: 'twin', secretAccessKey: 'twin' };
const INSTANCE = DEMO.instanceId;

let twin: Twin | undefined;
let clients: { ssm: SSMClient; ec2: EC2Client } | undefined;

afterEach(async () => {
  clients?.ssm.destroy();
  clients?.ec2.destroy();
  clients = undefined;
  await twin?.close();
  twin = undefined;
});

/**
 * The demo with its SSM-managed instance. The demo's VPC route tables learn busan-dc by propagation but
 * have no route to seoul-dc, which sits behind the TGW: the instance's (main) route table gets the route a
 * VPC needs to reach a TGW site.
 */
async function start(): Promise<{ twin: Twin; ssm: SSMClient; ec2: EC2Client }> {
  const world = demoWorld();
  world.instances = [...demoInstances(), { id: 'i-0a1b2c3d4e5f6dead', vpcId: DEMO.vpcId, ssmManaged: false }];
  createRoute(world, DEMO.routeTableIds[0], DEMO.seoul.prefix, { param: 'TransitGatewayId', id: DEMO.tgwId });
  const started = await Twin.start({ world });
  twin = started;
  // One attempt: the twin answers every request, so a retry would only hide a protocol mistake.
  const ssm = new SSMClient({
    endpoint: started.services.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  const ec2 = new EC2Client({
    endpoint: started.ec2.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  clients = { ssm, ec2 };
  return { twin: started, ssm, ec2 };
}

interface Ran {
  readonly sent: SendCommandCommandOutput;
  readonly invocation: GetCommandInvocationCommandOutput;
}

/** SendCommand on the demo instance, then GetCommandInvocation, as a keepalive would poll it. */
async function run(ssm: SSMClient, ...commands: string[]): Promise<Ran> {
  const sent = await ssm.send(
    new SendCommandCommand({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [INSTANCE],
      Parameters: { commands },
      TimeoutSeconds: 60,
      Comment: 'twin keepalive',
    }),
  );
  const commandId = sent.Command?.CommandId ?? expect.unreachable('SendCommand returned no CommandId');
  const invocation = await ssm.send(
    new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: INSTANCE }),
  );
  return { sent, invocation };
}

const PING_SEOUL = `ping -c 3 -W 2 ${DEMO.seoul.probe}`;
const PING_BUSAN = `ping -c 3 -W 2 ${DEMO.busan.probe}`;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the call succeeded'),
    (error: unknown) => error,
  );
}

describe('SSM Run Command on the twin', () => {
  it('pings both sites from the demo instance in steady state, with the shapes the SDK reads', async () => {
    const { twin, ssm } = await start();
    const now = twin.clock.now();
    const { sent, invocation } = await run(ssm, PING_SEOUL, PING_BUSAN);

    expect(sent.Command).toMatchObject({
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: [INSTANCE],
      Parameters: { commands: [PING_SEOUL, PING_BUSAN] },
      Comment: 'twin keepalive',
      Status: 'Success',
      TimeoutSeconds: 60,
      TargetCount: 1,
      CompletedCount: 1,
      ErrorCount: 0,
    });
    expect(sent.Command?.RequestedDateTime).toEqual(now);
    expect(sent.Command?.ExpiresAfter).toEqual(new Date(now.getTime() + 60_000));

    expect(invocation).toMatchObject({
      CommandId: sent.Command?.CommandId,
      InstanceId: INSTANCE,
      DocumentName: 'AWS-RunShellScript',
      PluginName: 'aws:runShellScript',
      Status: 'Success',
      StatusDetails: 'Success',
      ResponseCode: 0,
      StandardErrorContent: '',
      // Strings, as GetCommandInvocation returns them: two pings of three packets, a second apart.
      ExecutionStartDateTime: now.toISOString(),
    });
    expect(Date.parse(invocation.ExecutionEndDateTime ?? '')).toBeGreaterThan(now.getTime() + 4000);
    const stdout = invocation.StandardOutputContent ?? '';
    expect(stdout).toContain(`PING ${DEMO.seoul.probe} (${DEMO.seoul.probe}) 56(84) bytes of data.`);
    expect(stdout).toMatch(
      new RegExp(`64 bytes from ${DEMO.busan.probe.replaceAll('.', '\\.')}: icmp_seq=3 ttl=\\d+ time=`),
    );
    expect(stdout.match(/3 packets transmitted, 3 received, 0% packet loss/g)).toHaveLength(2);

    expect(twin.services.commands).toHaveLength(1);
    expect(twin.services.commands[0]?.invocations[0]?.lines.map((l) => l.exitCode)).toEqual([0, 0]);
    expect(twin.services.calls.map((c) => c.action)).toEqual(['SendCommand', 'GetCommandInvocation']);
  });

  it('loses every packet to seoul-dc while its primary is down, until the TGW route is replaced', async () => {
    const { twin, ssm, ec2 } = await start();
    for (const ip of DEMO.seoul.primary.tunnels) setTunnelStatus(twin.world, ip, 'DOWN', twin.clock.now());

    const down = await run(ssm, PING_SEOUL);
    expect(down.sent.Command).toMatchObject({ Status: 'Failed', ErrorCount: 1 });
    expect(down.invocation).toMatchObject({ Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 1 });
    expect(down.invocation.StandardOutputContent).toContain(
      '3 packets transmitted, 0 received, 100% packet loss',
    );
    // busan-dc is on another path and unaffected.
    expect((await run(ssm, PING_BUSAN)).invocation.Status).toBe('Success');

    await ec2.send(
      new ReplaceTransitGatewayRouteCommand({
        TransitGatewayRouteTableId: DEMO.tgwRouteTableId,
        DestinationCidrBlock: DEMO.seoul.prefix,
        TransitGatewayAttachmentId: DEMO.seoul.backup.attachmentId,
      }),
    );
    const failedOver = await run(ssm, PING_SEOUL);
    expect(failedOver.invocation).toMatchObject({ Status: 'Success', ResponseCode: 0 });
    expect(failedOver.invocation.StandardOutputContent).toContain(
      '3 packets transmitted, 3 received, 0% packet loss',
    );
    expect(twin.services.commands.map((c) => c.status)).toEqual(['Failed', 'Success', 'Success']);
  });

  it('fails the ping to busan-dc on a gray failure although the tunnel says UP', async () => {
    const { twin, ssm } = await start();
    const [gray, other] = DEMO.busan.bgp.tunnels;
    setTrafficPassing(twin.world, gray, false);
    setTunnelStatus(twin.world, other, 'DOWN', twin.clock.now());

    const { invocation } = await run(ssm, PING_BUSAN);
    expect(invocation).toMatchObject({ Status: 'Failed', ResponseCode: 1 });
    expect(invocation.StandardOutputContent).toContain('100% packet loss');
    const tunnel = twin.world.vpnConnections
      .find((v) => v.id === DEMO.busan.bgp.vpnId)
      ?.tunnels.find((t) => t.outsideIp === gray);
    expect(tunnel?.status).toBe('UP');
  });

  it('checks a port with nc -z, and lists the invocation with its plugin output', async () => {
    const { twin, ssm } = await start();
    const check = `nc -z -w 3 ${DEMO.seoul.probe} 443`;
    const up = await run(ssm, check);
    expect(up.invocation).toMatchObject({ Status: 'Success', ResponseCode: 0, StandardOutputContent: '' });
    expect(up.invocation.StandardErrorContent).toBe(
      `Connection to ${DEMO.seoul.probe} 443 port [tcp/*] succeeded!\n`,
    );

    for (const ip of DEMO.seoul.primary.tunnels) setTunnelStatus(twin.world, ip, 'DOWN', twin.clock.now());
    const down = await run(ssm, `timeout 10 ${check}`);
    expect(down.invocation).toMatchObject({ Status: 'Failed', ResponseCode: 1 });
    expect(down.invocation.StandardErrorContent).toBe(
      `nc: connect to ${DEMO.seoul.probe} port 443 (tcp) failed: Connection timed out\n`,
    );
    expect(down.invocation.ExecutionElapsedTime).toBe('PT3.000S');

    const listed = await ssm.send(
      new ListCommandInvocationsCommand({ CommandId: down.sent.Command?.CommandId, Details: true }),
    );
    expect(listed.CommandInvocations).toHaveLength(1);
    expect(listed.CommandInvocations?.[0]).toMatchObject({
      InstanceId: INSTANCE,
      Status: 'Failed',
      RequestedDateTime: twin.clock.now(),
      CommandPlugins: [{ Name: 'aws:runShellScript', ResponseCode: 1, Status: 'Failed' }],
    });
    expect(listed.CommandInvocations?.[0]?.CommandPlugins?.[0]?.Output).toContain('----------ERROR-------');
    const all = await ssm.send(new ListCommandInvocationsCommand({ InstanceId: INSTANCE }));
    expect(all.CommandInvocations?.map((i) => i.CommandId)).toEqual(
      [down, up].map((r) => r.sent.Command?.CommandId),
    );
  });

  it('answers any other command with exit 127: the twin runs no shell', async () => {
    const { ssm } = await start();
    const { invocation } = await run(
      ssm,
      '#!/bin/bash',
      `ping -c 1 ${DEMO.busan.probe}`,
      `curl -s http://${DEMO.busan.probe}/`,
      `ping -c 1 ${DEMO.busan.probe} | tail -1`,
      '',
      `timeout 5 nc -z ${DEMO.busan.probe} 5432`,
    );
    expect(invocation).toMatchObject({ Status: 'Failed', ResponseCode: 127 });
    const stderr = invocation.StandardErrorContent ?? '';
    expect(stderr).toMatch(/_script\.sh: line 3: curl: command not found\n/);
    expect(stderr).toMatch(/_script\.sh: line 4: ping .* \| tail -1: command not found\n/);
    expect(stderr).toContain(`Connection to ${DEMO.busan.probe} 5432 port [tcp/*] succeeded!`);
    expect(invocation.StandardOutputContent).toContain('1 packets transmitted, 1 received, 0% packet loss');
  });

  it('refuses unknown or unmanaged instances, other documents and unknown invocations with the SDK exceptions', async () => {
    const { twin, ssm } = await start();
    const send = (documentName: string, instanceId: string) =>
      ssm.send(
        new SendCommandCommand({
          DocumentName: documentName,
          InstanceIds: [instanceId],
          Parameters: { commands: [PING_BUSAN] },
        }),
      );
    expect(await rejection(send('AWS-RunShellScript', 'i-0000000000000beef'))).toBeInstanceOf(
      InvalidInstanceId,
    );
    // Known to EC2 but not managed by SSM: Run Command cannot reach it.
    expect(await rejection(send('AWS-RunShellScript', 'i-0a1b2c3d4e5f6dead'))).toBeInstanceOf(
      InvalidInstanceId,
    );
    expect(await rejection(send('AWS-RunPowerShellScript', INSTANCE))).toBeInstanceOf(InvalidDocument);
    expect(twin.services.commands).toHaveLength(0);

    const unknown = await rejection(
      ssm.send(
        new GetCommandInvocationCommand({
          CommandId: '00000000-0000-4000-8000-000000000000',
          InstanceId: INSTANCE,
        }),
      ),
    );
    expect(unknown).toBeInstanceOf(InvocationDoesNotExist);
    const { sent } = await run(ssm, PING_BUSAN);
    const otherInstance = await rejection(
      ssm.send(
        new GetCommandInvocationCommand({
          CommandId: sent.Command?.CommandId,
          InstanceId: 'i-0000000000000beef',
        }),
      ),
    );
    expect(otherInstance).toBeInstanceOf(InvocationDoesNotExist);
  });
});
