/**
 * The dependency direction of ../shared/design.md, checked by `npm run deps` in CI.
 *
 *   functions → runtime → usecases → policy / incidents (pure) → config / events → domain, errors
 *   adapters (aws, store, incidents' DynamoDB/EventBridge files) implement the use cases' ports
 *   stack (build time), twin (a simulated AWS that hosts the functions), drills, cli sit on top.
 *
 * Each rule forbids a back-edge; cycles are forbidden everywhere, type-only ones included.
 */
const LIB = '^lib/';
const ADAPTERS = '^lib/(aws|store)/|^lib/incidents/(dynamo-|publisher)';
const TOOLS = '^lib/(twin|drills|cli|stack)/|^bin/';
const SDK = '^node_modules/@aws-sdk/|^node_modules/@smithy/';

/** A rule forbidding `from` to import anything matching `to`. */
const forbid = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment:
        'A cycle (even a type-only one) makes two files one unit: neither can change or be tested alone.',
      severity: 'error',
      from: { path: LIB },
      to: { circular: true },
    },
    forbid(
      'domain-is-the-bottom',
      'lib/domain holds the shared types; it imports only lib/errors.ts.',
      '^lib/domain/',
      `${LIB}(?!domain/|errors\\.ts)`,
    ),
    forbid(
      'errors-is-the-bottom',
      'lib/errors.ts is imported by every layer and imports none.',
      '^lib/errors\\.ts$',
      LIB,
    ),
    forbid(
      'parsers-import-no-logic',
      'Config, events and the pattern matcher parse input; they know nothing of policy, use cases, adapters or tools.',
      '^lib/(config|events|eventbridge)/',
      `^lib/(policy|usecases|incidents|runtime|aws|store)/|${TOOLS}`,
    ),
    forbid(
      'policy-is-pure',
      'The policy decides from a snapshot: it reads only domain types and config, never I/O.',
      '^lib/policy/',
      `^lib/(usecases|incidents|runtime|aws|store|events|eventbridge)/|${TOOLS}|${SDK}`,
    ),
    forbid(
      'pure-code-imports-no-sdk',
      'Pure code (domain, config, events, policy, the incident lifecycle, use cases) never imports the AWS SDK.',
      '^lib/(domain|config|events|policy|usecases)/|^lib/incidents/(lifecycle|model|condition|message|schema|ports)',
      SDK,
    ),
    forbid(
      'incident-lifecycle-is-pure',
      'The incident model and lifecycle are decided in memory; storing and publishing are adapters.',
      '^lib/incidents/(lifecycle|model|condition|message|schema|ports|redact|errors)',
      `${ADAPTERS}|^lib/(usecases|runtime)/|${TOOLS}`,
    ),
    forbid(
      'usecases-use-ports',
      'Use cases reach AWS and DynamoDB through ports (lib/usecases/ports.ts), never an adapter.',
      '^lib/usecases/',
      `${ADAPTERS}|^lib/runtime/|${TOOLS}`,
    ),
    forbid(
      'adapters-are-not-composed-here',
      'Adapters implement ports; wiring them together is the runtime’s job.',
      `${ADAPTERS}`,
      `^lib/runtime/|${TOOLS}`,
    ),
    forbid(
      'runtime-below-tools',
      'The runtime wires functions; the twin, drills and CLI are built on it.',
      '^lib/runtime/',
      TOOLS,
    ),
    forbid(
      'functions-are-thin',
      'A handler file wires middy to a runtime entry point; nothing else.',
      '^functions/',
      `^lib/(?!runtime/|events/)`,
    ),
    forbid(
      'twin-below-drills',
      'The twin simulates AWS; drills and the CLI drive it, never the reverse.',
      '^lib/twin/',
      '^lib/(drills|cli)/|^bin/',
    ),
    forbid(
      'drills-below-cli',
      'Drills are run by the CLI, never the reverse.',
      '^lib/drills/',
      '^lib/cli/|^bin/',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(test|bench|node_modules)/' },
  },
};
