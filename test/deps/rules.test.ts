/**
 * The dependency rules (.dependency-cruiser.cjs) are code too: these cases prove each back-edge of
 * ../shared/design.md is caught and each allowed edge is not, so a loosened regex fails here.
 * (`npm run deps` applies the same rules to the real tree in CI.)
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

interface Rule {
  readonly name: string;
  readonly from: { readonly path: string };
  readonly to: { readonly path?: string; readonly circular?: boolean };
}
const config = createRequire(import.meta.url)('../../.dependency-cruiser.cjs') as { forbidden: Rule[] };

/** The names of the rules an import of `to` from `from` breaks. */
function broken(from: string, to: string): string[] {
  return config.forbidden
    .filter((r) => r.to.path !== undefined)
    .filter((r) => new RegExp(r.from.path).test(from) && new RegExp(r.to.path ?? '').test(to))
    .map((r) => r.name);
}

describe('dependency rules', () => {
  it.each([
    ['lib/usecases/remediate.ts', 'lib/aws/apply.ts', 'usecases-use-ports'],
    ['lib/usecases/ports.ts', 'lib/store/site-lock.ts', 'usecases-use-ports'],
    ['lib/usecases/record.ts', 'lib/incidents/dynamo-store.ts', 'usecases-use-ports'],
    ['lib/policy/decide.ts', 'lib/events/parse.ts', 'policy-is-pure'],
    ['lib/policy/decide.ts', 'node_modules/@aws-sdk/client-ec2/dist-cjs/index.js', 'policy-is-pure'],
    ['lib/domain/snapshot.ts', 'lib/config/schema.ts', 'domain-is-the-bottom'],
    ['lib/errors.ts', 'lib/domain/run.ts', 'errors-is-the-bottom'],
    ['lib/config/schema.ts', 'lib/policy/plan.ts', 'parsers-import-no-logic'],
    ['lib/events/parse.ts', 'lib/twin/state.ts', 'parsers-import-no-logic'],
    ['lib/incidents/lifecycle.ts', 'lib/incidents/dynamo-store.ts', 'incident-lifecycle-is-pure'],
    ['lib/aws/observe.ts', 'lib/runtime/clients.ts', 'adapters-are-not-composed-here'],
    ['lib/store/mode.ts', 'lib/cli/main.ts', 'adapters-are-not-composed-here'],
    ['lib/runtime/handler.ts', 'lib/twin/twin.ts', 'runtime-below-tools'],
    ['functions/onTunnelAlarm.ts', 'lib/usecases/remediate.ts', 'functions-are-thin'],
    ['lib/twin/topologies/file.ts', 'lib/drills/errors.ts', 'twin-below-drills'],
    ['lib/drills/runner.ts', 'lib/cli/io.ts', 'drills-below-cli'],
    [
      'lib/usecases/record.ts',
      'node_modules/@aws-sdk/client-dynamodb/dist-es/index.js',
      'pure-code-imports-no-sdk',
    ],
  ])('%s → %s breaks %s', (from, to, rule) => {
    expect(broken(from, to)).toContain(rule);
  });

  it.each([
    ['lib/usecases/remediate.ts', 'lib/domain/apply-result.ts'],
    ['lib/usecases/remediate.ts', 'lib/policy/decide.ts'],
    ['lib/usecases/record.ts', 'lib/incidents/lifecycle.ts'],
    ['lib/policy/decide.ts', 'lib/domain/snapshot.ts'],
    ['lib/policy/decide.ts', 'lib/config/schema.ts'],
    ['lib/store/site-lock.ts', 'lib/usecases/ports.ts'],
    ['lib/aws/apply.ts', 'lib/domain/apply-result.ts'],
    ['lib/aws/apply.ts', 'node_modules/@aws-sdk/client-ec2/dist-cjs/index.js'],
    ['lib/runtime/remediation.ts', 'lib/aws/port.ts'],
    ['lib/twin/deliver.ts', 'lib/runtime/local-lambda.ts'],
    ['lib/drills/runner.ts', 'lib/twin/twin.ts'],
    ['lib/cli/program.ts', 'lib/drills/runner.ts'],
    ['functions/onTunnelAlarm.ts', 'lib/runtime/handler.ts'],
    ['lib/domain/apply-result.ts', 'lib/errors.ts'],
  ])('%s → %s is allowed', (from, to) => {
    expect(broken(from, to)).toEqual([]);
  });

  it('forbids cycles in lib, type-only ones included', () => {
    const cycles = config.forbidden.find((r) => r.to.circular === true);
    expect(cycles?.from.path).toBe('^lib/');
    expect(JSON.stringify(config)).toContain('"tsPreCompilationDeps":true');
  });
});
