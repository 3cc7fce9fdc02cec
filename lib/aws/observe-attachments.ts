/** Reads transit gateway attachments: what a path without a VPN of its own leads to (lib/policy/path-behind.ts). */
import {
  DescribeTransitGatewayAttachmentsCommand,
  type DescribeTransitGatewayAttachmentsCommandOutput,
  type EC2Client,
  type Filter,
  type TransitGatewayAttachment,
} from '@aws-sdk/client-ec2';
import type { AttachmentQuery, TgwAttachmentResource, TgwAttachmentState } from '../domain/snapshot.js';
import { ObserveError, sdkFailure } from './errors.js';

const API = 'DescribeTransitGatewayAttachments';
/**
 * Both questions are narrow (a few ids, or one VPC's attachment per transit gateway): more pages than
 * this means the filter did not apply, and reading on would only spend the run's deadline.
 */
const MAX_PAGES = 5;

const RESOURCES: Readonly<Record<string, TgwAttachmentResource>> = {
  vpn: 'vpn',
  vpc: 'vpc',
  'direct-connect-gateway': 'direct-connect-gateway',
  peering: 'peering',
  'tgw-peering': 'peering',
  connect: 'connect',
  'network-function': 'network-function',
};

/**
 * The attachments asked about, by id; those that do not exist are simply absent (a filter, not
 * TransitGatewayAttachmentIds, so one unknown id does not fail the others). The two questions are
 * asked concurrently, each one call unless AWS pages.
 */
export async function observeTgwAttachments(
  ec2: EC2Client,
  query: AttachmentQuery,
): Promise<Record<string, TgwAttachmentState>> {
  const questions: Filter[][] = [];
  const ids = [...new Set(query.attachmentIds ?? [])];
  if (ids.length > 0) questions.push([{ Name: 'transit-gateway-attachment-id', Values: ids }]);
  const vpcs = query.vpcs;
  if (vpcs !== undefined && vpcs.transitGatewayIds.length > 0 && vpcs.vpcIds.length > 0) {
    questions.push([
      { Name: 'transit-gateway-id', Values: [...new Set(vpcs.transitGatewayIds)] },
      { Name: 'resource-type', Values: ['vpc'] },
      { Name: 'resource-id', Values: [...new Set(vpcs.vpcIds)] },
    ]);
  }
  const answers = await Promise.all(questions.map((filters) => describeAll(ec2, filters)));
  const result: Record<string, TgwAttachmentState> = {};
  for (const attachment of answers.flat()) {
    const state = toAttachmentState(attachment);
    result[state.attachmentId] = state;
  }
  return result;
}

async function describeAll(ec2: EC2Client, filters: Filter[]): Promise<TransitGatewayAttachment[]> {
  const what = filters.flatMap((f) => f.Values ?? []);
  const found: TransitGatewayAttachment[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    let out: DescribeTransitGatewayAttachmentsCommandOutput;
    try {
      out = await ec2.send(
        new DescribeTransitGatewayAttachmentsCommand({
          Filters: filters,
          MaxResults: 100,
          NextToken: nextToken,
        }),
      );
    } catch (err) {
      throw sdkFailure(API, what, err);
    }
    found.push(...(out.TransitGatewayAttachments ?? []));
    const next = out.NextToken === '' ? undefined : out.NextToken;
    if (next === undefined) return found;
    if (next === nextToken)
      throw new ObserveError(`${API} ${what.join(', ')}: NextToken repeated, pagination does not end`);
    nextToken = next;
  }
  throw new ObserveError(
    `${API} ${what.join(', ')}: more than ${MAX_PAGES} pages for a narrow filter; refusing to read on`,
  );
}

function toAttachmentState(a: TransitGatewayAttachment): TgwAttachmentState {
  const attachmentId = a.TransitGatewayAttachmentId;
  if (attachmentId === undefined)
    throw new ObserveError(`${API}: an attachment without TransitGatewayAttachmentId`);
  if (a.TransitGatewayId === undefined)
    throw new ObserveError(`${API} ${attachmentId}: TransitGatewayId is missing`);
  // A resource type AWS adds later is followed no further (`other`: health unknown), never guessed.
  const type = a.ResourceType;
  const resourceType =
    (type !== undefined && Object.hasOwn(RESOURCES, type) ? RESOURCES[type] : undefined) ?? 'other';
  // Only a settled association routes traffic; one being made or removed says nothing yet.
  const association =
    a.Association?.State === 'associated' ? a.Association.TransitGatewayRouteTableId : undefined;
  return {
    attachmentId,
    transitGatewayId: a.TransitGatewayId,
    resourceType,
    ...(a.ResourceId === undefined ? {} : { resourceId: a.ResourceId }),
    state: a.State ?? 'unknown',
    ...(association === undefined ? {} : { associatedRouteTableId: association }),
  };
}
