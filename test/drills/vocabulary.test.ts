import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWN_ACTIONS, suggestion } from '../../lib/drills/vocabulary.js';
import { EC2_ACTIONS } from '../../lib/twin/ec2-registry.js';
import type { FaultService } from '../../lib/twin/faults.js';
import { EVENTS_ACTIONS } from '../../lib/twin/services/eventbridge.js';
import { SNS_ACTIONS } from '../../lib/twin/services/sns.js';
import { SSM_ACTIONS } from '../../lib/twin/services/ssm.js';

const CLIENTS: Readonly<Record<string, FaultService>> = {
  '@aws-sdk/client-ec2': 'ec2',
  '@aws-sdk/client-dynamodb': 'dynamodb',
  '@aws-sdk/client-ssm': 'ssm',
  '@aws-sdk/client-eventbridge': 'events',
  '@aws-sdk/client-sns': 'sns',
};

/** Every `<Action>Command` the code under lib/ imports, by service. */
function commandsSent(): { service: FaultService; action: string; file: string }[] {
  const files = readdirSync('lib', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files.flatMap((file) => {
    const text = readFileSync(join('lib', file), 'utf8');
    return [
      ...text.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'(@aws-sdk\/client-[a-z0-9]+)'/g),
    ].flatMap(([, names = '', client = '']) => {
      const service = CLIENTS[client];
      if (service === undefined) return [];
      return [...names.matchAll(/\b([A-Z]\w+)Command\b/g)].map(([, action = '']) => ({
        service,
        action,
        file,
      }));
    });
  });
}

describe('the action names a drill may use', () => {
  it("are the twin's own registries, not a second list", () => {
    expect(KNOWN_ACTIONS.ec2).toBe(EC2_ACTIONS);
    expect(KNOWN_ACTIONS.ssm).toBe(SSM_ACTIONS);
    expect(KNOWN_ACTIONS.events).toBe(EVENTS_ACTIONS);
    expect(KNOWN_ACTIONS.sns).toBe(SNS_ACTIONS);
  });

  it('cover every SDK command the code sends (so a real action is never refused)', () => {
    const sent = commandsSent();
    expect(sent.length).toBeGreaterThan(15);
    for (const { service, action, file } of sent)
      expect(KNOWN_ACTIONS[service], `${file}: ${service}:${action}`).toContain(action);
  });

  it('refuse what the twin does not answer, with the likely intended name', () => {
    expect(KNOWN_ACTIONS.ec2).not.toContain('ReplaceTransitGatewayRoutes');
    expect(suggestion('ReplaceTransitGatewayRoutes', KNOWN_ACTIONS.ec2)).toBe(
      'did you mean ReplaceTransitGatewayRoute?',
    );
    expect(KNOWN_ACTIONS.sns).toEqual(['Publish']);
  });
});
