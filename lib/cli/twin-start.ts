import { MODE_PARAMETER, Twin } from '../twin/twin.js';

/**
 * `tunnel-warden twin start`: the demo twin on loopback until Ctrl-C, its clock moving with real
 * time (schedules fire, alarms change state), for use with AWS_ENDPOINT_URL_* from another shell.
 */
export async function twinStart(root: string, out: (line: string) => void): Promise<number> {
  const twin = await Twin.start({ root, log: out });
  out('the twin is running on loopback. In another shell:');
  out(`  export AWS_ENDPOINT_URL_EC2=${twin.ec2.endpoint}`);
  out(`  export AWS_ENDPOINT_URL_DYNAMODB=${twin.dynamo.endpoint}`);
  out(`  export AWS_ENDPOINT_URL_SSM=${twin.services.endpoint}`);
  out(`  export AWS_ENDPOINT_URL_EVENTBRIDGE=${twin.services.endpoint}`);
  out(`  export AWS_ENDPOINT_URL_SNS=${twin.services.endpoint}`);
  out(`  export TUNNEL_WARDEN_TABLE=${twin.dynamo.table} AWS_REGION=${twin.world.region}`);
  out('  export AWS_ACCESS_KEY_ID=AKIDTWINLOCAL AWS_SECRET_ACCESS_KEY=twin-local-secret');
  out(`  npx tunnel-warden status        # kill switch: SSM ${MODE_PARAMETER}`);
  out('Ctrl-C stops it.');
  const tick = setInterval(() => void twin.advance(60_000), 60_000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(tick);
  await twin.close();
  return 0;
}
