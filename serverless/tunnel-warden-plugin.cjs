'use strict';
// The project's local Serverless plugin:
// - validates the site configuration before anything is packaged or deployed, with the same code
//   the functions run at cold start;
// - drops a `vpc: null` left by an unset per-stage VPC, because the framework grants the broad
//   AWSLambdaVPCAccessExecutionRole to every function as soon as any function has a `vpc` key.
const path = require('node:path');
const { pathToFileURL } = require('node:url');

class TunnelWardenPlugin {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:setupProviderConfiguration': () => this.dropUnsetVpc(),
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

  async validateConfig() {
    const { tsImport } = require('tsx/esm/api');
    const servicePath = this.serverless.serviceDir ?? this.serverless.config.servicePath;
    const file = this.serverless.service.provider.environment.TUNNEL_WARDEN_CONFIG;
    const loader = await tsImport('../lib/config/load.ts', pathToFileURL(__filename).href);
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
  }
}

module.exports = TunnelWardenPlugin;
