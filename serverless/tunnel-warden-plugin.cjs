'use strict';
// The project's local Serverless plugin:
// - validates the site configuration before anything is packaged or deployed, with the same code
//   the functions run at cold start;
// - drops a `vpc: null` left by an unset per-stage VPC, because the framework grants the broad
//   AWSLambdaVPCAccessExecutionRole to every function as soon as any function has a `vpc` key;
// - gives a function that runs in a VPC (keepalive, when custom.keepaliveVpc.<stage> is set) the network
//   interface permissions Lambda needs, in that function's own role only: each function has its own role
//   (serverless.yml), which the framework leaves alone;
// - adds the TunnelState alarms the configuration asks for (`detection:`, lib/stack/detection-alarms.ts)
//   to the packaged template, so the alarms a deploy creates are the ones a review of the template reads;
// - refuses an EventBridge rule whose event pattern AWS would refuse at deploy (lib/eventbridge/rule-patterns.ts),
//   so a bad pattern fails `serverless package`, naming the rule and the key, not a stack update half-way.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

class TunnelWardenPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:setupProviderConfiguration': () => this.dropUnsetVpc(),
      'after:package:compileFunctions': () => this.grantVpcNetworkInterfaces(),
      'after:package:compileEvents': () => this.addDetectionAlarms(),
      'before:package:finalize': () => this.checkRulePatterns(),
      'before:package:createDeploymentArtifacts': () => this.validateConfig(),
      'before:deploy:function:packageFunction': () => this.validateConfig(),
      'before:invoke:local:invoke': () => this.validateConfig(),
    };
  }

  dropUnsetVpc() {
    for (const name of this.serverless.service.getAllFunctions()) {
      const fn = this.serverless.service.getFunction(name);
      if ('vpc' in fn && (fn.vpc === null || fn.vpc === undefined)) delete fn.vpc;
    }
  }

  grantVpcNetworkInterfaces() {
    const compiled = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    // The roles are ours (serverless.yml `resources:`), merged into the template only at package:finalize.
    const ours = this.serverless.service.resources?.Resources ?? {};
    for (const [logicalId, fn] of Object.entries(compiled)) {
      if (fn.Type !== 'AWS::Lambda::Function' || fn.Properties.VpcConfig === undefined) continue;
      const roleId = fn.Properties.Role?.['Fn::GetAtt']?.[0];
      const policy = ours[roleId]?.Properties?.Policies?.[0]?.PolicyDocument;
      if (policy === undefined) {
        throw new this.serverless.classes.Error(
          `${logicalId} runs in a VPC but its role is not an inline-policy role of this stack`,
          'TUNNEL_WARDEN_VPC_ROLE',
        );
      }
      policy.Statement.push(...vpcNetworkInterfaceStatements());
    }
  }

  /** The project's TypeScript the plugin runs, imported once (lib/stack/plugin-api.ts says why). */
  api() {
    if (this.apiModule === undefined) {
      const { tsImport } = require('tsx/esm/api');
      this.apiModule = tsImport('../lib/stack/plugin-api.ts', pathToFileURL(__filename).href);
    }
    return this.apiModule;
  }

  async validateConfig() {
    const servicePath = this.serverless.serviceDir ?? this.serverless.config.servicePath;
    const file = this.serverless.service.provider.environment.TUNNEL_WARDEN_CONFIG;
    const loader = await this.api();
    let config;
    try {
      config = loader.loadConfig(path.resolve(servicePath, file));
    } catch (error) {
      // A ConfigError's message already names the file, the field and what was expected.
      throw new this.serverless.classes.Error(
        error instanceof Error ? error.message : String(error),
        'TUNNEL_WARDEN_CONFIG',
      );
    }
    this.serverless.cli.log(
      `tunnel-warden: ${file} is valid (${config.sites.length} sites, mode ${config.mode})`,
    );
    this.config = config;
    return config;
  }

  async checkRulePatterns() {
    const { checkRulePatterns } = await this.api();
    // Rules written under `resources:` are merged into the template only at package:finalize.
    const resources = {
      ...this.serverless.service.provider.compiledCloudFormationTemplate.Resources,
      ...(this.serverless.service.resources?.Resources ?? {}),
    };
    try {
      const checked = checkRulePatterns(resources);
      this.serverless.cli.log(`tunnel-warden: ${checked} EventBridge rule patterns are valid`);
    } catch (error) {
      // An InvalidRulePatternError's message names the rule, the pattern key and what AWS refuses.
      throw new this.serverless.classes.Error(
        error instanceof Error ? error.message : String(error),
        'TUNNEL_WARDEN_EVENT_PATTERN',
      );
    }
  }

  async addDetectionAlarms() {
    const config = this.config ?? (await this.validateConfig());
    const { detectionAlarms, managedVpnIds } = await this.api();
    const naming = {
      service: this.serverless.service.service,
      stage: this.serverless.getProvider('aws').getStage(),
    };
    const alarms = detectionAlarms(config.detection, managedVpnIds(config), naming);
    const compiled = this.serverless.service.provider.compiledCloudFormationTemplate.Resources;
    for (const [logicalId, alarm] of Object.entries(alarms)) {
      if (logicalId in compiled) {
        throw new this.serverless.classes.Error(
          `${logicalId} is already a resource of the template; rename it`,
          'TUNNEL_WARDEN_ALARMS',
        );
      }
      compiled[logicalId] = alarm;
    }
  }
}

/**
 * What Lambda does with the role of a function in a VPC (the AWSLambdaVPCAccessExecutionRole actions,
 * without its logs:* on "*"): describes need "*", the writes are scoped to this account and Region.
 */
function vpcNetworkInterfaceStatements() {
  const arn = (type) => ({
    'Fn::Sub': `arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:${type}/*`,
  });
  return [
    {
      Sid: 'LambdaVpcDescribe',
      Effect: 'Allow',
      Action: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
      Resource: '*',
    },
    {
      Sid: 'LambdaVpcNetworkInterfaces',
      Effect: 'Allow',
      Action: ['ec2:CreateNetworkInterface'],
      Resource: [arn('network-interface'), arn('subnet'), arn('security-group')],
    },
    {
      Sid: 'LambdaVpcNetworkInterfaceLifecycle',
      Effect: 'Allow',
      Action: [
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      Resource: arn('network-interface'),
    },
  ];
}

module.exports = TunnelWardenPlugin;
module.exports.vpcNetworkInterfaceStatements = vpcNetworkInterfaceStatements;
