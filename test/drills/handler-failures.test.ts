import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../lib/drills/load.js';
import { runDrill } from '../../lib/drills/runner.js';

const run = (file: string) => runDrill(loadScenario(join(import.meta.dirname, 'handler-failures', file)));

describe('a handler failure fails the drill unless the drill expects it', () => {
  it('an invoke that throws fails the drill at that step, naming the function and the error', {
    timeout: 60_000,
  }, async () => {
    const result = await run('invoke-fails.yml');
    expect(result.passed).toBe(false);
    expect(result.failed).toMatchObject({
      index: 0,
      label: 'invoke drill (site=nowhere-dc, scenario=connection-down)',
      expected: 'no handler failure (or expect: { failed: { function: drill, count: … } })',
    });
    expect(result.failed?.actual).toContain(
      'drill failed — the invocation threw: no site named "nowhere-dc"',
    );
  });

  it('an event dead-lettered after its retries fails the drill at the step it happened in', {
    timeout: 60_000,
  }, async () => {
    const result = await run('dead-letter-unexpected.yml');
    expect(result.passed).toBe(false);
    expect(result.failed).toMatchObject({ index: 3, label: 'advance 7 min' });
    expect(result.failed?.actual).toMatch(
      /^onTunnelAlarm failed — its last attempt \(3\) failed on CloudWatch Alarm (Contributor )?State Change: no route changed: kill switch/,
    );
  });

  it('passes when `failed` states the failure, with its reason', { timeout: 60_000 }, async () => {
    const result = await run('invoke-fails-expected.yml');
    expect(result.failed, JSON.stringify(result.failed)).toBeUndefined();
  });

  it('a dead-letter reason that does not match is a failed expectation showing the real error', {
    timeout: 60_000,
  }, async () => {
    const result = await run('wrong-reason.yml');
    expect(result.failed).toMatchObject({ index: 4, expected: 'count=1' });
    expect(result.failed?.actual).toMatch(/^count=0 \(errors: no route changed: kill switch/);
  });
});
