import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config/load.js';
import { ensurePackaged } from '../../lib/eventbridge/package.js';
import { alarmsFromTemplate } from '../../lib/twin/cloudwatch.js';
import { alarmsForConfig } from '../../lib/twin/configured-alarms.js';

const root = process.cwd();
const configAt = (file: string) => join(root, file);

describe("the twin's CloudWatch alarms follow the configuration the twin runs with", () => {
  const template = ensurePackaged(root);

  it('the packaged configuration: the packaged template alarms, as deployed', () => {
    const file = configAt('tunnel-warden.yml');
    const alarms = alarmsForConfig(root, template, file, loadConfig(file));
    expect(alarms).toEqual(alarmsFromTemplate(template));
    expect(alarms.map((a) => a.name)).toEqual([
      'tunnel-warden-dev-vpn-tunnel-state',
      'tunnel-warden-dev-tunnel-state',
    ]);
  });

  it('another configuration: the alarms its detection: makes the stack create, not the packaged ones', () => {
    const classic = configAt('drills/topologies/demo-seoul-classic-alarms.tunnel-warden.yml');
    expect(alarmsForConfig(root, template, classic, loadConfig(classic))).toMatchObject([
      {
        name: 'tunnel-warden-dev-vpn-0a1b2c3d4e5f60001-tunnel-down',
        periodMs: 60_000,
        comparison: 'LessThanThreshold',
        threshold: 1,
        treatMissingData: 'missing',
        series: { dimensions: { VpnId: 'vpn-0a1b2c3d4e5f60001' }, statistic: 'Minimum' },
      },
      { name: 'tunnel-warden-dev-vpn-0a1b2c3d4e5f60002-tunnel-down' },
    ]);
    const sweepOnly = configAt('drills/topologies/demo-seoul-sweep-only.tunnel-warden.yml');
    expect(alarmsForConfig(root, template, sweepOnly, loadConfig(sweepOnly))).toEqual([]);
  });
});
