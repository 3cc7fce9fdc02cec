/**
 * The one domain type every trigger becomes. A Signal says *where to look* and *why*; it never
 * carries enough to act on by itself — observe() takes a fresh snapshot and decide() rules on it.
 */

export const SIGNAL_KINDS = [
  'tunnel-down',
  'tunnel-up',
  'connection-down',
  /** A TunnelState alarm fired whose definition does not say what is down (alarm-meaning.ts). */
  'alarm-unclear',
  'telemetry-missing',
  'endpoint-replaced',
  'single-tunnel',
  'maintenance-pending',
  /** Network Manager: a VPN connection of a registered transit gateway was created, deleted or re-pointed. */
  'topology-changed',
  'unrecognised',
  'sweep',
  /** The daily check of every managed tunnel for pending maintenance (GetVpnTunnelReplacementStatus). */
  'maintenance-sweep',
  'keepalive',
  'drill',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];
/** The signals a schedule rule starts. */
export type ScheduleKind = 'sweep' | 'maintenance-sweep' | 'keepalive';

/** Where a signal points: a VPN connection, some of its tunnels, or both. Never empty for VPN signals. */
export interface VpnTarget {
  /** `vpn-…` when the event names it; otherwise resolved later from a tunnel outside IP. */
  readonly vpnId?: string;
  /** AWS-side outside IPs the event names (alarm `TunnelIpAddress` dimensions). */
  readonly tunnelIps: readonly string[];
  /**
   * The account that owns the VPN, set only when the event says it is not the receiving account
   * (`origin.account`, this stack's): org-view Health `affectedAccount`, a Network Manager VPN ARN.
   * Such a target is recorded, never observed nor acted on.
   */
  readonly account?: string;
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
  /**
   * What makes two deliveries the same signal, when the source says so better than a delivery id:
   * Health: affected account + eventArn + communicationId + lastUpdatedTime (AWS's advice; an update
   * is a new signal); alarms: the alarm (and contributor) state change, however it was delivered.
   */
  readonly dedupeKey?: string;
}

interface SignalBase<K extends SignalKind> {
  readonly kind: K;
  readonly origin: SignalOrigin;
}

export interface AlarmEvidence {
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  /** Absent on a Metrics Insights contributor's event, which carries none. */
  readonly previousState?: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly reason: string;
  /** The parsed `reasonData` JSON, when CloudWatch sent one. */
  readonly reasonData?: Readonly<Record<string, unknown>>;
  /** The time series of a Metrics Insights alarm this state change is about (its GROUP BY values). */
  readonly contributor?: { readonly id: string; readonly attributes: Readonly<Record<string, string>> };
  /** The mute rule that silenced the alarm's actions when it changed state, if any. */
  readonly mutedBy?: string;
  /** What the alarm's definition says is down, and what that was read from (always set by the parser). */
  readonly reading?: AlarmReading;
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
  /** `ACCOUNT_SPECIFIC`, `PUBLIC` or `NONE`. */
  readonly eventScopeCode?: string;
  /**
   * Organizational view: the member account the event is about (the envelope's account is the one
   * that received it). Its VPNs are that account's, not necessarily this stack's.
   */
  readonly affectedAccount?: string;
  /** A long event arrives in pages (`communicationId` ends in `-<page>`), each a delivery of its own. */
  readonly page?: number;
  readonly totalPages?: number;
  /**
   * What the pages of one communication share (account, eventArn, communicationId without its page
   * suffix, lastUpdatedTime): the pages are one record, their affected entities merged.
   */
  readonly communication: string;
}

/** A Network Manager event about a VPN connection of a transit gateway registered in a global network. */
export interface NetworkEvidence {
  readonly detailType: string;
  /** `VPN-CONNECTION-IPSEC-DOWN`, `VPN-CONNECTION-BGP-ESTABLISH`, `VPN-CONNECTION-DELETED`, … */
  readonly changeType: string;
  readonly changeDescription?: string;
  readonly globalNetworkId: string;
  readonly transitGatewayId?: string;
  readonly vpnConnectionArn: string;
  /** The Region of the VPN (the envelope's is the global network's home Region, us-west-2). */
  readonly vpnRegion: string;
  readonly outsideIpAddress?: string;
  readonly peerAsn?: string;
}

export type NetworkKind = 'tunnel-down' | 'tunnel-up' | 'topology-changed';

export interface NetworkSignal<K extends SignalKind> extends SignalBase<K> {
  readonly targets: readonly VpnTarget[];
  readonly network: NetworkEvidence;
}

export type AlarmKind =
  | 'tunnel-down'
  | 'tunnel-up'
  | 'connection-down'
  | 'alarm-unclear'
  | 'telemetry-missing';

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
  /**
   * `replace-tunnel`: evidence that another tunnel of the connection passes traffic — a probe someone
   * ran through it (the twin's data plane, a ping over that tunnel, its TunnelDataIn/Out metrics). An UP
   * tunnel may pass nothing (a gray failure), and AWS's status cannot tell; without this the drill refuses.
   */
  readonly trafficProbe?: TrafficProbe;
  /** `replace-tunnel`: also apply the tunnel's pending maintenance (`ApplyPendingMaintenance=true`). */
  readonly applyPendingMaintenance?: boolean;
}

/** A recorded probe: traffic was seen passing through the tunnel `tunnelIp` at `passedAt` (ISO 8601). */
export interface TrafficProbe {
  readonly tunnelIp: string;
  readonly passedAt: string;
}

export type Signal =
  | AlarmSignal<AlarmKind>
  | HealthSignal<'endpoint-replaced' | 'single-tunnel' | 'maintenance-pending' | 'unrecognised'>
  | NetworkSignal<NetworkKind>
  | (SignalBase<ScheduleKind> & { readonly schedule: string })
  | (SignalBase<'drill'> & { readonly drill: DrillRequest });

/**
 * The idempotency key of a run (lib/runtime/remediation.ts): the signal's dedupe key when its source
 * defines one (Health: eventArn + communicationId + lastUpdatedTime; alarms: the alarm's state change),
 * otherwise the EventBridge id.
 */
export const DEDUPE_KEY_JMESPATH = 'origin.dedupeKey || origin.eventId';

/** How a TunnelState alarm's definition was read (lib/events/alarm-meaning.ts decides it). */
export const ALARM_MEANINGS = ['one-down', 'all-down', 'unknown'] as const;
export type AlarmMeaning = (typeof ALARM_MEANINGS)[number];

export type Comparison =
  | 'LessThan'
  | 'LessThanOrEqual'
  | 'GreaterThan'
  | 'GreaterThanOrEqual'
  | 'AnomalyBand';

/** What the meaning was read from, kept on the signal's evidence so a person can check it. */
export interface AlarmReading {
  readonly meaning: AlarmMeaning;
  /** Why, in a few words: the scale and rule, or what could not be read. */
  readonly because: string;
  readonly statistic?: string;
  readonly comparison?: Comparison;
  readonly threshold?: number;
}
