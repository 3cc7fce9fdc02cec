/**
 * What a VPC route can point at for traffic to an on-prem prefix. Traffic that arrives from a VPN
 * may leave a VPC through a transit gateway, a virtual private gateway or a network interface
 * (an instance, an appliance, an interface endpoint); AWS does not forward it through the others.
 */
export const VPC_TARGET_KINDS = {
  'vgw-': 'vpn-gateway',
  'tgw-': 'transit-gateway',
  'eni-': 'network-interface',
} as const;
export type VpcTargetKind = (typeof VPC_TARGET_KINDS)[keyof typeof VPC_TARGET_KINDS];

const REFUSED_TARGETS: Readonly<Record<string, string>> = {
  'igw-': 'an internet gateway',
  'eigw-': 'an egress-only internet gateway',
  'nat-': 'a NAT gateway',
  'pcx-': 'a VPC peering connection',
  'vpce-': 'a VPC endpoint',
};

const ID_PATTERN = /^[a-z]+-[0-9a-f]{8,17}$/;

export type VpcTargetCheck =
  | { readonly ok: true; readonly kind: VpcTargetKind }
  | { readonly ok: false; readonly problem: string };

/** Classifies a route target id, refusing those that cannot carry traffic from a VPN, with the reason. */
export function classifyVpcTarget(id: string): VpcTargetCheck {
  if (!ID_PATTERN.test(id))
    return { ok: false, problem: `"${id}" is not a resource id like tgw-0123456789abcdef0` };
  for (const [prefix, what] of Object.entries(REFUSED_TARGETS)) {
    if (id.startsWith(prefix)) {
      return {
        ok: false,
        problem:
          `${id} is ${what}: traffic arriving from a VPN cannot transit ${what}; ` +
          'use a transit gateway (tgw-), a virtual private gateway (vgw-) or a network interface (eni-)',
      };
    }
  }
  for (const [prefix, kind] of Object.entries(VPC_TARGET_KINDS)) {
    if (id.startsWith(prefix)) return { ok: true, kind };
  }
  return { ok: false, problem: `${id} is not a supported route target (expected tgw-, vgw- or eni-)` };
}
