import {
  DescribeTransitGatewayAttachmentsCommand,
  EC2Client,
  EC2ServiceException,
  type TransitGatewayAttachment,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ObserveError } from '../../lib/aws/errors.js';
import { observeTgwAttachments } from '../../lib/aws/observe-attachments.js';

const ec2Mock = mockClient(EC2Client);
const ec2 = new EC2Client({ region: 'eu-west-1' });
const TGW = 'tgw-0a1b2c3d4e5f60001';

beforeEach(() => {
  ec2Mock.reset();
});

const vpcAttachment: TransitGatewayAttachment = {
  TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60003',
  TransitGatewayId: TGW,
  ResourceType: 'vpc',
  ResourceId: 'vpc-0a1b2c3d4e5f60001',
  State: 'available',
  Association: { TransitGatewayRouteTableId: 'tgw-rtb-0a1b2c3d4e5f60001', State: 'associated' },
};
const vpnAttachment: TransitGatewayAttachment = {
  TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60004',
  TransitGatewayId: TGW,
  ResourceType: 'vpn',
  ResourceId: 'vpn-0a1b2c3d4e5f60004',
  State: 'available',
};

describe('observeTgwAttachments', () => {
  it("asks by id and for the VPCs' attachments with filters, and maps what a path's health follows", async () => {
    ec2Mock
      .on(DescribeTransitGatewayAttachmentsCommand)
      .callsFake((input: { Filters?: { Name?: string }[] }) => ({
        TransitGatewayAttachments:
          input.Filters?.[0]?.Name === 'transit-gateway-attachment-id' ? [vpnAttachment] : [vpcAttachment],
      }));
    const found = await observeTgwAttachments(ec2, {
      attachmentIds: ['tgw-attach-0a1b2c3d4e5f60004', 'tgw-attach-0a1b2c3d4e5f60004'],
      vpcs: { transitGatewayIds: [TGW], vpcIds: ['vpc-0a1b2c3d4e5f60001'] },
    });
    expect(found).toEqual({
      'tgw-attach-0a1b2c3d4e5f60003': {
        attachmentId: 'tgw-attach-0a1b2c3d4e5f60003',
        transitGatewayId: TGW,
        resourceType: 'vpc',
        resourceId: 'vpc-0a1b2c3d4e5f60001',
        state: 'available',
        associatedRouteTableId: 'tgw-rtb-0a1b2c3d4e5f60001',
      },
      'tgw-attach-0a1b2c3d4e5f60004': {
        attachmentId: 'tgw-attach-0a1b2c3d4e5f60004',
        transitGatewayId: TGW,
        resourceType: 'vpn',
        resourceId: 'vpn-0a1b2c3d4e5f60004',
        state: 'available',
      },
    });
    const inputs = ec2Mock.commandCalls(DescribeTransitGatewayAttachmentsCommand).map((c) => c.args[0].input);
    expect(inputs).toEqual([
      {
        Filters: [{ Name: 'transit-gateway-attachment-id', Values: ['tgw-attach-0a1b2c3d4e5f60004'] }],
        MaxResults: 100,
        NextToken: undefined,
      },
      {
        Filters: [
          { Name: 'transit-gateway-id', Values: [TGW] },
          { Name: 'resource-type', Values: ['vpc'] },
          { Name: 'resource-id', Values: ['vpc-0a1b2c3d4e5f60001'] },
        ],
        MaxResults: 100,
        NextToken: undefined,
      },
    ]);
  });

  it('makes no call when there is nothing to ask', async () => {
    expect(
      await observeTgwAttachments(ec2, { attachmentIds: [], vpcs: { transitGatewayIds: [TGW], vpcIds: [] } }),
    ).toEqual({});
    expect(ec2Mock.commandCalls(DescribeTransitGatewayAttachmentsCommand)).toHaveLength(0);
  });

  it('keeps a route table only from a settled association, and reads a resource type it does not know as other', async () => {
    ec2Mock.on(DescribeTransitGatewayAttachmentsCommand).resolves({
      TransitGatewayAttachments: [
        {
          ...vpcAttachment,
          Association: { TransitGatewayRouteTableId: 'tgw-rtb-0a1b2c3d4e5f60009', State: 'disassociating' },
        },
        { ...vpnAttachment, ResourceType: 'vpn-concentrator' as TransitGatewayAttachment['ResourceType'] },
        {
          ...vpnAttachment,
          TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60007',
          ResourceType: 'tgw-peering',
        },
        {
          ...vpnAttachment,
          TransitGatewayAttachmentId: 'tgw-attach-0a1b2c3d4e5f60008',
          ResourceType: 'constructor' as TransitGatewayAttachment['ResourceType'],
        },
      ],
    });
    const found = await observeTgwAttachments(ec2, { attachmentIds: ['tgw-attach-0a1b2c3d4e5f60004'] });
    expect(found['tgw-attach-0a1b2c3d4e5f60003']).not.toHaveProperty('associatedRouteTableId');
    expect(found['tgw-attach-0a1b2c3d4e5f60004']?.resourceType).toBe('other');
    expect(found['tgw-attach-0a1b2c3d4e5f60007']?.resourceType).toBe('peering');
    expect(found['tgw-attach-0a1b2c3d4e5f60008']?.resourceType).toBe('other');
  });

  it('follows NextToken, and refuses a token that repeats or an answer longer than a narrow filter can give', async () => {
    ec2Mock
      .on(DescribeTransitGatewayAttachmentsCommand)
      .resolvesOnce({ TransitGatewayAttachments: [vpcAttachment], NextToken: 'a' })
      .resolvesOnce({ TransitGatewayAttachments: [vpnAttachment] });
    expect(Object.keys(await observeTgwAttachments(ec2, { attachmentIds: ['x'] }))).toHaveLength(2);

    ec2Mock.reset();
    ec2Mock
      .on(DescribeTransitGatewayAttachmentsCommand)
      .resolves({ TransitGatewayAttachments: [], NextToken: 'same' });
    await expect(observeTgwAttachments(ec2, { attachmentIds: ['x'] })).rejects.toThrow(/NextToken repeated/);

    ec2Mock.reset();
    let page = 0;
    ec2Mock.on(DescribeTransitGatewayAttachmentsCommand).callsFake(() => ({ NextToken: `t${page++}` }));
    await expect(observeTgwAttachments(ec2, { attachmentIds: ['x'] })).rejects.toThrow(/more than 5 pages/);
    expect(ec2Mock.commandCalls(DescribeTransitGatewayAttachmentsCommand)).toHaveLength(5);
  });

  it('wraps an SDK failure with the API, what was asked and the cause; refuses an attachment without an id', async () => {
    const cause = new EC2ServiceException({
      name: 'UnauthorizedOperation',
      message: 'You are not authorized to perform this operation.',
      $fault: 'client',
      $metadata: { httpStatusCode: 403 },
    });
    ec2Mock.on(DescribeTransitGatewayAttachmentsCommand).rejects(cause);
    const error = await observeTgwAttachments(ec2, { attachmentIds: ['tgw-attach-0a1b2c3d4e5f60004'] }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ObserveError);
    expect((error as Error).message).toBe(
      'DescribeTransitGatewayAttachments tgw-attach-0a1b2c3d4e5f60004 failed: You are not authorized to perform this operation.',
    );
    expect((error as Error).cause).toBe(cause);

    ec2Mock.reset();
    ec2Mock
      .on(DescribeTransitGatewayAttachmentsCommand)
      .resolves({ TransitGatewayAttachments: [{ TransitGatewayId: TGW }] });
    await expect(observeTgwAttachments(ec2, { attachmentIds: ['x'] })).rejects.toThrow(ObserveError);
  });
});
