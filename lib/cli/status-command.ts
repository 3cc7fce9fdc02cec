import { dynamoClient, ec2Client, ssmClient } from '../aws/clients.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { DynamoIncidentStore } from '../incidents/dynamo-store.js';
import { SsmModeReader } from '../store/mode.js';
import { LOCAL_CREDENTIALS } from '../twin/dynamo.js';
import { Twin } from '../twin/twin.js';
import { collectStatus, formatStatus, type Status } from './status.js';

export interface StatusOptions {
  readonly json: boolean;
  /** Read a fresh demo twin instead of an account. */
  readonly twin: boolean;
  /** The configuration to read the sites from (not with `twin`, which has its own). */
  readonly configFile: string;
  readonly out: (line: string) => void;
}

/** `tunnel-warden status`: read-only, against AWS (or AWS_ENDPOINT_URL_*) or, with --twin, a fresh demo twin. */
export async function statusCommand(root: string, options: StatusOptions): Promise<number> {
  const print = (status: Status, config: Config) =>
    options.out(options.json ? JSON.stringify(status, null, 2) : formatStatus(status, config));
  if (options.twin) {
    const twin = await Twin.start({ root });
    const local = { region: twin.world.region, credentials: LOCAL_CREDENTIALS };
    const ec2 = ec2Client({ endpoint: twin.ec2.endpoint, ...local });
    const ssm = ssmClient({ endpoint: twin.services.endpoint, ...local });
    try {
      const mode = new SsmModeReader(ssm, twin.config.modeParameter, twin.config.mode);
      print(await collectStatus(twin.config, ec2, twin.incidents, twin.clock.now(), mode), twin.config);
    } finally {
      ec2.destroy();
      ssm.destroy();
      await twin.close();
    }
    return 0;
  }
  const config = loadConfig(options.configFile);
  const ec2 = ec2Client();
  // The same reader the functions use: a kill switch status cannot read shows as the fallback they would run.
  const ssm = ssmClient();
  const table = process.env.TUNNEL_WARDEN_TABLE;
  const dynamo = table === undefined ? undefined : dynamoClient();
  try {
    const store =
      dynamo === undefined || table === undefined ? undefined : new DynamoIncidentStore(dynamo, table);
    const mode = new SsmModeReader(ssm, config.modeParameter, config.mode);
    print(await collectStatus(config, ec2, store, new Date(), mode), config);
  } finally {
    ec2.destroy();
    ssm.destroy();
    dynamo?.destroy();
  }
  return 0;
}
