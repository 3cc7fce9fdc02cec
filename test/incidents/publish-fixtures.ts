import type { Incident, TimelineEntry } from '../../lib/incidents/model.js';
import type { IncidentEvent } from '../../lib/incidents/ports.js';

export const SECRET = 'S3cret_value1';
export const ID = 'inc-seoul-dc-20250301T120000Z';

export function incident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: ID,
    subject: 'seoul-dc',
    kind: 'connection-down',
    severity: 'major',
    peakSeverity: 'major',
    status: 'open',
    summary: 'primary path down: vpn-0a1 both tunnels DOWN',
    startedAt: '2025-03-01T11:59:30.000Z',
    detectedAt: '2025-03-01T12:00:00.000Z',
    lastObservedAt: '2025-03-01T12:00:00.000Z',
    reopenCount: 0,
    version: 1,
    ...overrides,
  };
}

export function entry(at: string, summary: string, overrides: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    incidentId: ID,
    at,
    type: 'action',
    entryId: `evt-1#${at}#${summary}`,
    summary,
    detail: {},
    ...overrides,
  };
}

export function event(
  change: IncidentEvent['change'],
  incidentOverrides: Partial<Incident> = {},
  entries: readonly TimelineEntry[] = [entry('2025-03-01T12:00:01.000Z', 'failover to backup path')],
): IncidentEvent {
  return { change, incident: incident(incidentOverrides), entries };
}

/** An event whose entries carry the VPN configuration a careless copy of DescribeVpnConnections would. */
export function leakyEvent(): IncidentEvent {
  const xml = `<vpn_connection id="vpn-0a1"><ipsec_tunnel><ike><authentication_protocol>sha1</authentication_protocol><pre_shared_key>${SECRET}</pre_shared_key></ike></ipsec_tunnel></vpn_connection>`;
  return event('opened', {}, [
    entry('2025-03-01T12:00:00.500Z', `observed config ${xml}`, {
      type: 'signal',
      detail: {
        CustomerGatewayConfiguration: xml,
        Options: { TunnelOptions: [{ OutsideIpAddress: '203.0.113.10', PreSharedKey: SECRET }] },
        error: `InvalidParameterValue: PreSharedKey=${SECRET} is not allowed`,
      },
    }),
    entry('2025-03-01T12:00:01.000Z', `ModifyVpnTunnelOptions {"PreSharedKey":"${SECRET}"} failed`),
  ]);
}
