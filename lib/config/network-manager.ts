import { z } from 'zod';

/**
 * `networkManager:` in the configuration: the global network the stack's transit gateways are
 * registered in. Only then are AWS Network Manager events (`aws.networkmanager`) signals, and only
 * those of this global network and these transit gateways; without it they are ignored.
 */
export const NetworkManagerSchema = z.strictObject({
  globalNetwork: z
    .string()
    .regex(
      /^global-network-[0-9a-f]{8,17}$/,
      'expected a global network id like global-network-0123456789abcdef0',
    ),
  transitGateways: z
    .array(
      z.string().regex(/^tgw-[0-9a-f]{8,17}$/, 'expected a transit gateway id like tgw-0123456789abcdef0'),
    )
    .min(1, 'name the registered transit gateways whose VPN events are signals'),
});
export type NetworkManagerConfig = z.infer<typeof NetworkManagerSchema>;
