/**
 * The one domain type every trigger becomes. A Signal says *where to look* and *why*; it never
 * carries enough to act on by itself — observe() takes a fresh snapshot and decide() rules on it.
 */

export const SIGNAL_KINDS = [
  'tunnel-down',
  'tunnel-up',
  'connection-down',
  'telemetry-missing',
  'endpoint-replaced',
  'single-tunnel',
  'maintenance-pending',
  'unrecognised',
  'sweep',
  'keepalive',
  'drill',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** Where a signal points: a VPN connection, some of its tunnels, or both. Never empty for VPN signals. */
export interface VpnTarget {
  /** `vpn-…` when the event names it; otherwise resolved later from a tunnel outside IP. */
  readonly vpnId?: string;
  /** AWS-side outside IPs the event names (alarm `TunnelIpAddress` dimensions). */
  readonly tunnelIps: readonly string[];
}

/** Where the signal came from, kept for the incident timeline and for de-duplication. */
export interface SignalOrigin {
  readonly source: string;
  readonly detailType: string;
  /** EventBridge event id, or a generated id for direct invocations. */
  readonly eventId: string;
  readonly account: string;
  readonly region: string;
  /** When the underlying state change happened (alarm state timestamp, Health lastUpdatedTime, event time). */
  readonly occurredAt: string;
}

interface SignalBase<K extends SignalKind> {
  readonly kind: K;
  readonly origin: SignalOrigin;
}

export interface AlarmEvidence {
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly previousState: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly reason: string;
  /** The parsed `reasonData` JSON, when CloudWatch sent one. */
  readonly reasonData?: Readonly<Record<string, unknown>>;
}

export interface HealthEvidence {
  readonly eventArn: string;
  readonly eventTypeCode: string;
  readonly eventTypeCategory: string;
  readonly statusCode: string;
  readonly eventRegion: string;
  readonly communicationId?: string;
  readonly startTime?: string;
  readonly endTime?: string;
  readonly description?: string;
}

export interface AlarmSignal<K extends SignalKind> extends SignalBase<K> {
  readonly targets: readonly VpnTarget[];
  readonly alarm: AlarmEvidence;
}

export interface HealthSignal<K extends SignalKind> extends SignalBase<K> {
  readonly targets: readonly VpnTarget[];
  readonly health: HealthEvidence;
}

export const DRILL_SCENARIOS = ['connection-down', 'tunnel-down', 'failback', 'replace-tunnel'] as const;
export type DrillScenario = (typeof DRILL_SCENARIOS)[number];

export interface DrillRequest {
  readonly site: string;
  readonly scenario: DrillScenario;
  readonly mode: 'dry-run' | 'live';
  /** Must equal the site name for a live drill: a typed confirmation, not a flag. */
  readonly confirm?: string;
  /** Which tunnel: required for `replace-tunnel`; for `tunnel-down`, default the first tunnel of the active path. */
  readonly tunnelIp?: string;
}

export type Signal =
  | AlarmSignal<'tunnel-down' | 'tunnel-up' | 'connection-down' | 'telemetry-missing'>
  | HealthSignal<'endpoint-replaced' | 'single-tunnel' | 'maintenance-pending' | 'unrecognised'>
  | (SignalBase<'sweep' | 'keepalive'> & { readonly schedule: string })
  | (SignalBase<'drill'> & { readonly drill: DrillRequest });
