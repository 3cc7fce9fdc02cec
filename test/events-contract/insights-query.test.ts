import { describe, expect, it } from 'vitest';
import { parseInsightsQuery } from '../../lib/events/insights-query.js';

describe('Metrics Insights queries', () => {
  it.each([
    [
      'SELECT MAX(TunnelState) FROM SCHEMA("AWS/VPN", VpnId) GROUP BY VpnId',
      {
        fn: 'MAX',
        metric: 'TunnelState',
        namespace: 'AWS/VPN',
        schemaDimensions: ['VpnId'],
        groupBy: ['VpnId'],
      },
    ],
    [
      'select min("TunnelState") from "AWS/VPN" where VpnId = \'vpn-0a1b2c3d4e5f60001\' group by VpnId, TunnelIpAddress order by min() asc limit 10',
      {
        fn: 'MIN',
        metric: 'TunnelState',
        namespace: 'AWS/VPN',
        schemaDimensions: [],
        groupBy: ['VpnId', 'TunnelIpAddress'],
      },
    ],
    [
      'SELECT AVG(TunnelState) FROM SCHEMA("AWS/VPN", TunnelIpAddress)',
      {
        fn: 'AVG',
        metric: 'TunnelState',
        namespace: 'AWS/VPN',
        schemaDimensions: ['TunnelIpAddress'],
        groupBy: [],
      },
    ],
  ])('reads %s', (text, expected) => {
    expect(parseInsightsQuery(text)).toEqual(expected);
  });

  it.each(['MAX([m1,m2])', 'm1 * 2', 'SELECT FOO(TunnelState) FROM "AWS/VPN"', ''])(
    'is not an Insights query: %j',
    (text) => {
      expect(parseInsightsQuery(text)).toBeUndefined();
    },
  );
});
