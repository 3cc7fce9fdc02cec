/**
 * Least privilege per function: each packaged role grants exactly what its function's code calls (derived
 * from the modules it imports, code-actions.ts) plus what the Lambda service does with that role on the
 * function's behalf (its logs, its on-failure destination, X-Ray when traced, the topic's KMS key).
 * A grant nothing uses fails, and so does a call nothing grants.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionsReachableFrom } from './code-actions.js';
import { actionsOf, type PackagedFunction, packagedFunctions, template } from './packaged-roles.js';

const root = process.cwd();

const VPC_NETWORK_INTERFACE_ACTIONS = [
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/**
 * Commands a function's modules import but that only one kind of signal can ever plan: granting them to
 * every function that imports the shared apply code would hand keepalive-like reach to the alarm path.
 * Each entry is proven below, so it cannot silently become false.
 */
const SIGNAL_GATED: Readonly<Record<string, { readonly only: readonly string[]; readonly why: string }>> = {
  'ec2:ReplaceVpnTunnel': {
    only: ['drill'],
    why: 'a tunnel-replacement action is planned only by planTunnelReplacement, for a drill signal',
  },
};

function codeActions(fn: PackagedFunction): string[] {
  return actionsReachableFrom(root, `functions/${fn.key}.ts`).filter(
    (action) => SIGNAL_GATED[action]?.only.includes(fn.key) ?? true,
  );
}

/** What Lambda itself does with the function's role. */
function serviceActions(fn: PackagedFunction, calls: readonly string[]): string[] {
  const props = template.Resources[fn.logicalId]?.Properties ?? {};
  const invokeConfig = Object.values(template.Resources).find(
    (r) =>
      r.Type === 'AWS::Lambda::EventInvokeConfig' &&
      (r.Properties.FunctionName as { Ref?: string }).Ref === fn.logicalId,
  );
  const onFailure = (invokeConfig?.Properties.DestinationConfig as { OnFailure?: unknown } | undefined)
    ?.OnFailure;
  const traced = (props.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active';
  const topic = template.Resources.NotificationsTopic?.Properties ?? {};
  const encryptedTopic = topic.KmsMasterKeyId !== undefined;
  return [
    'logs:CreateLogStream',
    'logs:PutLogEvents',
    ...(onFailure === undefined ? [] : ['sqs:SendMessage']),
    ...(traced ? ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'] : []),
    // A function in a VPC: Lambda manages its network interfaces with its role (tunnel-warden-plugin.cjs).
    ...(props.VpcConfig === undefined ? [] : VPC_NETWORK_INTERFACE_ACTIONS),
    ...(encryptedTopic && calls.includes('sns:Publish') ? ['kms:GenerateDataKey', 'kms:Decrypt'] : []),
  ];
}

const granted = (fn: PackagedFunction) =>
  [...new Set(fn.statements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf))].sort();

describe('each function is granted exactly what its code calls', () => {
  it.each(packagedFunctions.map((fn) => [fn.key, fn] as const))('%s', (_key, fn) => {
    const calls = codeActions(fn);
    const needed = [...new Set([...calls, ...serviceActions(fn, calls)])].sort();
    const have = granted(fn);
    expect({ grantedButUnused: have.filter((a) => !needed.includes(a)) }).toEqual({ grantedButUnused: [] });
    expect({ usedButNotGranted: needed.filter((a) => !have.includes(a)) }).toEqual({ usedButNotGranted: [] });
  });

  it('keepalive can change nothing: no EC2, DynamoDB, SSM, EventBridge or SNS action', () => {
    const keepalive = packagedFunctions.find((fn) => fn.key === 'keepalive');
    expect(keepalive && granted(keepalive).filter((a) => !/^(logs|sqs):/.test(a))).toEqual([]);
  });

  it('writes each function’s logs to its own log group only', () => {
    for (const fn of packagedFunctions) {
      const logs = fn.statements.filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
      expect(
        logs.map((s) => s.Resource),
        fn.key,
      ).toEqual([{ 'Fn::GetAtt': [`${fn.logicalId.replace(/LambdaFunction$/, '')}LogGroup`, 'Arn'] }]);
    }
  });
});

/** Files under lib/ (not the adapters, the twin or the type that names the action), recursively. */
function libFiles(dir = join(root, 'lib')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['aws', 'twin', 'domain'].includes(entry.name) ? [] : libFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('the signal-gated grants hold', () => {
  it(SIGNAL_GATED['ec2:ReplaceVpnTunnel']?.why ?? '', () => {
    const producers = libFiles().filter((f) =>
      readFileSync(f, 'utf8').includes("type: 'tunnel-replacement'"),
    );
    expect(producers.map((f) => f.slice(root.length + 1))).toEqual(['lib/policy/drill.ts']);
    const callers = libFiles().flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i, lines) => ({ file: f.slice(root.length + 1), line, before: lines[i - 1] ?? '' }))
        .filter(({ line }) => /\bplanTunnelReplacement\(/.test(line) && !line.includes('export function')),
    );
    expect(callers.length).toBeGreaterThan(0);
    for (const call of callers)
      expect(`${call.before}\n${call.line}`, call.file).toMatch(/'drill' in signal/);
    // Only the drill function parses its input into a drill signal.
    const parsers = readdirSync(join(root, 'functions')).filter((f) =>
      readFileSync(join(root, 'functions', f), 'utf8').includes('parseDrillInput'),
    );
    expect(parsers).toEqual(['drill.ts']);
  });
});
