import type { HealthEvidence, HealthSignal, VpnTarget } from '../domain/signal.js';
import { originOf, VPN_ID } from './common.js';
import { EventParseError } from './errors.js';
import { type HealthEvent, VPN_HEALTH_SERVICE } from './health.js';

type HealthKind = 'endpoint-replaced' | 'single-tunnel' | 'maintenance-pending' | 'unrecognised';

/** The VPN event codes we act on. Any other VPN code is recorded as `unrecognised`, never dropped. */
export const HEALTH_CODES: Readonly<Record<string, Exclude<HealthKind, 'unrecognised'>>> = {
  AWS_VPN_REDUNDANCY_LOSS: 'endpoint-replaced',
  AWS_VPN_SINGLE_TUNNEL_NOTIFICATION: 'single-tunnel',
  AWS_VPN_TUNNEL_UPDATE_AVAILABLE: 'maintenance-pending',
};

/** Descriptions can run to pages; the timeline keeps the start. */
const MAX_DESCRIPTION = 2000;

/**
 * The VPNs an event names. In an organizational view they are the affected member account's: when
 * that is not the account that received the event, each target says whose it is.
 */
function affectedVpns(event: HealthEvent): VpnTarget[] {
  const ids = [...event.detail.affectedEntities.map((e) => e.entityValue), ...event.resources];
  const { affectedAccount } = event.detail;
  const owner =
    affectedAccount === undefined || affectedAccount === event.account ? {} : { account: affectedAccount };
  return [...new Set(ids.filter((id) => VPN_ID.test(id)))].map((vpnId) => ({
    vpnId,
    tunnelIps: [],
    ...owner,
  }));
}

/**
 * AWS's advice: one Health communication is eventArn + communicationId (per account), delivered at least
 * once and possibly in a second Region; an update of the event (a newer lastUpdatedTime) is news.
 * Without a communicationId the delivery id is all there is.
 */
function dedupeKeyOf(event: HealthEvent, updatedAt: string): string {
  const { detail } = event;
  const account = detail.affectedAccount ?? event.account;
  return `health:${account}:${detail.eventArn}:${detail.communicationId ?? event.id}:${updatedAt}`;
}

/**
 * What the pages of one communication share: AWS numbers them in `page` and ends the communicationId
 * in `-<page>`. A single-page event is its own communication (its dedupe key).
 */
function communicationOf(event: HealthEvent, updatedAt: string): string {
  const { detail } = event;
  if (detail.page === undefined || detail.communicationId === undefined) return dedupeKeyOf(event, updatedAt);
  const account = detail.affectedAccount ?? event.account;
  const base = detail.communicationId.replace(new RegExp(`-${detail.page}$`), '');
  return `health:${account}:${detail.eventArn}:${base}:${updatedAt}`;
}

export type HealthOutcome =
  | { readonly type: 'signal'; readonly signal: HealthSignal<HealthKind> }
  | { readonly type: 'ignored'; readonly reason: string };

export function signalFromHealth(event: HealthEvent): HealthOutcome {
  const { detail } = event;
  if (detail.service !== VPN_HEALTH_SERVICE) {
    return {
      type: 'ignored',
      reason: `AWS Health event for service ${detail.service}, not ${VPN_HEALTH_SERVICE}`,
    };
  }
  const kind: HealthKind = HEALTH_CODES[detail.eventTypeCode] ?? 'unrecognised';
  const targets = affectedVpns(event);
  if (kind !== 'unrecognised' && targets.length === 0) {
    throw new EventParseError({
      eventId: event.id,
      source: event.source,
      fieldPath: 'detail.affectedEntities',
      problem: `${detail.eventTypeCode} names no VPN connection (no vpn-… in affectedEntities[].entityValue or resources[])`,
    });
  }
  const description = (
    detail.eventDescription.find((d) => d.language === 'en_US') ?? detail.eventDescription[0]
  )?.latestDescription;
  const updatedAt = detail.lastUpdatedTime ?? detail.startTime ?? new Date(event.time).toISOString();
  const health: HealthEvidence = {
    eventArn: detail.eventArn,
    eventTypeCode: detail.eventTypeCode,
    eventTypeCategory: detail.eventTypeCategory,
    statusCode: detail.statusCode,
    eventRegion: detail.eventRegion ?? event.region,
    ...(detail.communicationId === undefined ? {} : { communicationId: detail.communicationId }),
    ...(detail.startTime === undefined ? {} : { startTime: detail.startTime }),
    ...(detail.endTime === undefined ? {} : { endTime: detail.endTime }),
    ...(description === undefined ? {} : { description: description.slice(0, MAX_DESCRIPTION) }),
    ...(detail.eventScopeCode === undefined ? {} : { eventScopeCode: detail.eventScopeCode }),
    ...(detail.affectedAccount === undefined ? {} : { affectedAccount: detail.affectedAccount }),
    ...(detail.page === undefined ? {} : { page: detail.page }),
    ...(detail.totalPages === undefined ? {} : { totalPages: detail.totalPages }),
    communication: communicationOf(event, updatedAt),
  };
  return {
    type: 'signal',
    signal: {
      kind,
      origin: originOf(event, updatedAt, dedupeKeyOf(event, updatedAt)),
      targets,
      health,
    },
  };
}
