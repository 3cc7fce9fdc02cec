import { VPC_TARGET_KINDS, VPC_TARGET_PREFIXES, type VpcTarget } from '../domain/snapshot.js';

const REFUSED_TARGETS: Readonly<Record<string, string>> = {
  'igw-': 'an internet gateway',
  'eigw-': 'an egress-only internet gateway',
  'nat-': 'a NAT gateway',
  'pcx-': 'a VPC peering connection',
  'vpce-': 'a VPC endpoint',
};

const ID_PATTERN = /^[a-z]+-[0-9a-f]{8,17}$/;

export type VpcTargetCheck =
  | { readonly ok: true; readonly target: VpcTarget }
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
  const kind = VPC_TARGET_KINDS.find((k) => id.startsWith(VPC_TARGET_PREFIXES[k]));
  if (kind !== undefined) return { ok: true, target: { kind, id } };
  return { ok: false, problem: `${id} is not a supported route target (expected tgw-, vgw- or eni-)` };
}
