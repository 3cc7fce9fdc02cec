import {
  CreateRouteCommand,
  DescribeRouteTablesCommand,
  DescribeTransitGatewayAttachmentsCommand,
  DescribeVpnConnectionsCommand,
  EC2Client,
  ReplaceTransitGatewayRouteCommand,
  SearchTransitGatewayRoutesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { sdkEc2Port } from '../lib/aws/port.js';
import { loadConfig } from '../lib/config/load.js';
import type { Signal } from '../lib/domain/signal.js';
import { InMemoryIncidentStore } from '../lib/incidents/memory-store.js';
import { RecordingPublisher } from '../lib/incidents/publisher.js';
import { InMemoryHistoryStore } from '../lib/store/history.js';
import { InMemorySiteLock } from '../lib/store/site-lock.js';
import { remediate } from '../lib/usecases/remediate.js';

export interface ApiCallFigures {
  readonly scenario: string;
  readonly calls: number;
  readonly lowerBound: number;
  readonly ratio: number;
  readonly sequence: readonly string[];
}

const at = new Date('2026-03-02T10:05:00.000Z');

function telemetry(id: string, ips: string[], status: 'UP' | 'DOWN', extra: Record<string, unknown> = {}) {
  return {
    VpnConnectionId: id,
    State: 'available' as const,
    Options: { StaticRoutesOnly: extra.bgp !== true },
    ...(extra.vgw === undefined
      ? { TransitGatewayId: 'tgw-0a1b2c3d4e5f60001' }
      : { VpnGatewayId: String(extra.vgw) }),
    VgwTelemetry: ips.map((ip) => ({
      OutsideIpAddress: ip,
      Status: status,
      LastStatusChange: at,
      AcceptedRouteCount: 1,
    })),
  };
}

/** Counts the real adapters' EC2 calls for one failover per demo site, against the lower bound. */
export async function benchApiCalls(): Promise<ApiCallFigures[]> {
  const config = loadConfig('tunnel-warden.yml');
  const ec2 = mockClient(EC2Client);
  const figures: ApiCallFigures[] = [];
  const scenarios = [
    {
      scenario: 'seoul-dc primary VPN down (1 TGW table, 1 prefix)',
      site: 'seoul-dc',
      down: 'vpn-0a1b2c3d4e5f60001',
      routesToChange: 1,
      // The TGW table, and reading it back after the change (the effective route is verified).
      routeReads: 2,
    },
    {
      scenario: 'busan-dc BGP VPN down (2 VPC tables, 1 prefix)',
      site: 'busan-dc',
      down: 'vpn-0a1b2c3d4e5f60003',
      routesToChange: 2,
      // The VPC tables, what lies behind its blind TGW backup, and the tables read back after the change.
      routeReads: 3,
    },
  ];
  for (const s of scenarios) {
    ec2.reset();
    ec2.on(DescribeVpnConnectionsCommand).resolves({
      VpnConnections: [
        telemetry(
          'vpn-0a1b2c3d4e5f60001',
          ['198.51.100.10', '198.51.100.11'],
          s.down === 'vpn-0a1b2c3d4e5f60001' ? 'DOWN' : 'UP',
        ),
        telemetry('vpn-0a1b2c3d4e5f60002', ['198.51.100.20', '198.51.100.21'], 'UP'),
        // busan's static secondary (an appliance ENI with a VPN of its own): the healthy backup.
        telemetry('vpn-0a1b2c3d4e5f60004', ['198.51.100.40', '198.51.100.41'], 'UP'),
        telemetry(
          'vpn-0a1b2c3d4e5f60003',
          ['198.51.100.30', '198.51.100.31'],
          s.down === 'vpn-0a1b2c3d4e5f60003' ? 'DOWN' : 'UP',
          {
            bgp: true,
            vgw: 'vgw-0a1b2c3d4e5f60001',
          },
        ),
      ],
    });
    ec2.on(SearchTransitGatewayRoutesCommand).resolves({
      Routes: [
        {
          DestinationCidrBlock: '10.3.0.0/20',
          Type: 'static',
          State: 'active',
          TransitGatewayAttachments: [{ TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60001' }],
        },
      ],
      AdditionalRoutesAvailable: false,
    });
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'].map((id) => ({
        RouteTableId: id,
        VpcId: 'vpc-0a1b2c3d4e5f60001',
        Routes: [
          {
            DestinationCidrBlock: '10.0.0.0/16',
            GatewayId: 'local',
            Origin: 'CreateRouteTable',
            State: 'active',
          },
        ],
        PropagatingVgws: [{ GatewayId: 'vgw-0a1b2c3d4e5f60001' }],
      })),
    });
    // busan's TGW backup: no attachment of the VPC found, so what lies behind it is unknown (never healthy).
    ec2.on(DescribeTransitGatewayAttachmentsCommand).resolves({ TransitGatewayAttachments: [] });
    ec2.on(ReplaceTransitGatewayRouteCommand).resolves({});
    ec2.on(CreateRouteCommand).resolves({ Return: true });
    const signal: Signal = {
      kind: 'connection-down',
      origin: {
        source: 'bench',
        detailType: 'bench',
        eventId: 'bench',
        account: '111122223333',
        region: 'us-east-1',
        occurredAt: at.toISOString(),
      },
      targets: [{ vpnId: s.down, tunnelIps: [] }],
      alarm: { alarmName: 'bench', alarmArn: 'bench', state: 'ALARM', previousState: 'OK', reason: 'bench' },
    };
    await remediate(signal, {
      config,
      ec2: sdkEc2Port(
        new EC2Client({
          region: 'us-east-1',
          credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
        }),
      ),
      lock: new InMemorySiteLock(),
      // Incidents in memory: every run records, as in production, with no AWS calls to count.
      incidents: {
        store: new InMemoryIncidentStore(),
        publisher: new RecordingPublisher(),
        relapseWindowMs: config.defaults.relapseWindow,
      },
      history: new InMemoryHistoryStore(),
      mode: { read: async () => ({ mode: 'enabled', source: 'config' }) },
      clock: () => at,
      owner: 'bench',
      deadline: { remainingMs: () => 60_000 },
    });
    const sequence = ec2.calls().map((c) => c.args[0].constructor.name.replace(/Command$/, ''));
    const lowerBound = 1 + s.routeReads + s.routesToChange;
    figures.push({
      scenario: s.scenario,
      calls: sequence.length,
      lowerBound,
      ratio: sequence.length / lowerBound,
      sequence,
    });
  }
  ec2.restore();
  return figures;
}
