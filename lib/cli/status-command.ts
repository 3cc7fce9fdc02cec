import { ec2Client } from '../aws/clients.js';
import { loadConfig } from '../config/load.js';
import { DynamoIncidentStore } from '../incidents/dynamo-store.js';
import { DEFAULT_CONFIG_FILE } from '../runtime/settings.js';
import { dynamoClient } from '../store/table.js';
import { LOCAL_CREDENTIALS } from '../twin/dynamo.js';
import { Twin } from '../twin/twin.js';
import { collectStatus, formatStatus } from './status.js';

export interface StatusOptions {
  readonly json: boolean;
  /** Read a fresh demo twin instead of an account. */
  readonly twin: boolean;
  readonly out: (line: string) => void;
}

/** `tunnel-warden status`: read-only, against AWS (or AWS_ENDPOINT_URL_*) or, with --twin, a fresh demo twin. */
export async function statusCommand(root: string, options: StatusOptions): Promise<number> {
  const print = (status: Awaited<ReturnType<typeof collectStatus>>, config: ReturnType<typeof loadConfig>) =>
    options.out(options.json ? JSON.stringify(status, null, 2) : formatStatus(status, config));
  if (options.twin) {
    const twin = await Twin.start({ root });
    try {
      const ec2 = ec2Client({
        endpoint: twin.ec2.endpoint,
        region: twin.world.region,
        credentials: LOCAL_CREDENTIALS,
      });
      print(await collectStatus(twin.config, ec2, twin.incidents, twin.clock.now()), twin.config);
      ec2.destroy();
    } finally {
      await twin.close();
    }
    return 0;
  }
  const config = loadConfig(process.env.TUNNEL_WARDEN_CONFIG ?? DEFAULT_CONFIG_FILE);
  const ec2 = ec2Client();
  const table = process.env.TUNNEL_WARDEN_TABLE;
  const dynamo = table === undefined ? undefined : dynamoClient();
  try {
    const store =
      dynamo === undefined || table === undefined ? undefined : new DynamoIncidentStore(dynamo, table);
    print(await collectStatus(config, ec2, store, new Date()), config);
  } finally {
    ec2.destroy();
    dynamo?.destroy();
  }
  return 0;
}
