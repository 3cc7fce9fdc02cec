/** The two probes a VPN keepalive needs, ping and `nc -z`, answered from the twin's data plane. */
import { parseIpv4 } from '../../../config/cidr.js';
import { type ProbeResult, probe } from '../../probe.js';
import type { TwinInstance, TwinWorld } from '../../state.js';
import { getopt } from './getopt.js';
import type { LineRun } from './records.js';

/** The instance a line runs on, and the script's path on it (bash names it in its errors). */
export interface Host {
  readonly world: TwinWorld;
  readonly instance: TwinInstance;
  readonly script: string;
}

export type Outcome = Omit<LineRun, 'line'>;

const failed = (exitCode: number, stderr: string): Outcome => ({
  exitCode,
  stdout: '',
  stderr,
  elapsedMs: 0,
});

function probeFrom(host: Host, to: string): ProbeResult {
  const { instance, world } = host;
  return instance.routeTableId === undefined
    ? probe(world, { to, fromVpcId: instance.vpcId })
    : probe(world, { to, fromRouteTableId: instance.routeTableId });
}

/** iputils ping with -c (or -w): the data plane decides whether every packet comes back or none does. */
export function ping(args: readonly string[], host: Host): Outcome {
  const parsed = getopt(args, 'cWwistI', 'qn4DOv');
  if ('error' in parsed) return failed(2, `ping: ${parsed.error}\n`);
  const to = parsed.operands.at(-1);
  if (to === undefined) return failed(2, 'ping: usage error: Destination address required\n');
  // The twin has no DNS: a name does not resolve.
  if (parseIpv4(to) === undefined) return failed(2, `ping: ${to}: Name or service not known\n`);
  const numbers = pingNumbers(parsed.values);
  if ('invalid' in numbers) return failed(2, `ping: invalid argument: '${numbers.invalid}'\n`);
  const count = numbers.c ?? numbers.w;
  if (count === undefined) {
    return failed(
      2,
      'ping: the SSM twin answers ping -c <count> (or -w <deadline>) only; without them ping never ends\n',
    );
  }
  const intervalMs = (numbers.i ?? 1) * 1000;
  const size = numbers.s ?? 56;
  const run: PingRun = {
    to,
    count,
    size,
    quiet: parsed.flags.has('q'),
    numbers,
    header: `PING ${to} (${to}) ${size}(${size + 28}) bytes of data.\n`,
    statistics: `\n--- ${to} ping statistics ---\n`,
    span: (count - 1) * intervalMs,
  };
  const result = probeFrom(host, to);
  return result.reachable ? answeredPings(run, result.hops.length) : lostPings(run);
}

type PingOption = 'c' | 'w' | 'W' | 'i' | 's';
type PingNumbers = Partial<Record<PingOption, number>>;

/** What one ping run prints and how long it takes, settled before the data plane is asked. */
interface PingRun {
  readonly to: string;
  readonly count: number;
  readonly size: number;
  readonly quiet: boolean;
  readonly numbers: PingNumbers;
  readonly header: string;
  readonly statistics: string;
  /** Milliseconds from the first packet sent to the last. */
  readonly span: number;
}

/** ping's numeric options, or the first text ping refuses as an invalid argument. */
function pingNumbers(values: ReadonlyMap<string, string>): PingNumbers | { readonly invalid: string } {
  const numbers: PingNumbers = {};
  for (const option of ['c', 'w', 'W', 'i', 's'] as const) {
    const text = values.get(option);
    if (text === undefined) continue;
    const value = Number(text);
    if (!isValidPingNumber(option, text, value)) return { invalid: text };
    numbers[option] = value;
  }
  return numbers;
}

// -W and -i take fractions of a second; -s may be 0; every other count is a positive integer.
function isValidPingNumber(option: PingOption, text: string, value: number): boolean {
  const integer = option !== 'W' && option !== 'i';
  return (
    text !== '' &&
    Number.isFinite(value) &&
    value >= (option === 's' ? 0 : 0.001) &&
    !(integer && !Number.isInteger(value))
  );
}

function lostPings(run: PingRun): Outcome {
  const { count, numbers, header, statistics, span } = run;
  // Every packet is lost; ping waits -W seconds (10 by default) for the last reply, -w caps it all.
  const waited = span + (numbers.W ?? 10) * 1000;
  return {
    exitCode: 1,
    stdout: `${header}${statistics}${count} packets transmitted, 0 received, 100% packet loss, time ${span}ms\n\n`,
    stderr: '',
    elapsedMs: numbers.w === undefined ? waited : Math.min(waited, numbers.w * 1000),
  };
}

function answeredPings(run: PingRun, hopCount: number): Outcome {
  const { to, count, size, header, statistics, span } = run;
  // A deterministic round trip that grows with the path: under a millisecond inside the VPC, milliseconds per hop beyond.
  const rttMs = 0.2 + 2 * (hopCount - 1);
  const rtt = rttMs.toFixed(3);
  const replies = run.quiet
    ? ''
    : Array.from(
        { length: count },
        (_, i) =>
          `${size + 8} bytes from ${to}: icmp_seq=${i + 1} ttl=${hopCount > 1 ? 62 : 64} time=${rttMs.toPrecision(3)} ms\n`,
      ).join('');
  return {
    exitCode: 0,
    stdout:
      `${header}${replies}${statistics}${count} packets transmitted, ${count} received, 0% packet loss, time ${span}ms\n` +
      `rtt min/avg/max/mdev = ${rtt}/${rtt}/${rtt}/0.000 ms\n`,
    stderr: '',
    elapsedMs: span + Math.ceil(rttMs),
  };
}

/**
 * OpenBSD netcat's port check, `nc -z [-w <s>] <ip> <port>`: it connects when the data plane reaches the
 * address (the twin assumes something listens on every port there) and times out otherwise. It always
 * reports as `nc -v` does, on stderr.
 */
export function nc(args: readonly string[], host: Host): Outcome {
  const parsed = getopt(args, 'wpsiIOXxTM', 'zvnu46dDNrtkC');
  if ('error' in parsed) return failed(1, `nc: ${parsed.error}\n`);
  if (!parsed.flags.has('z')) {
    return failed(
      1,
      'nc: the SSM twin answers nc -z (a port check) only; without -z nc would wait for data\n',
    );
  }
  const [to, port, ...rest] = parsed.operands;
  if (to === undefined || port === undefined || rest.length > 0) {
    return failed(1, 'usage: nc [-46CDdFhklNnrStUuvZz] [-w timeout] [destination] [port]\n');
  }
  if (parseIpv4(to) === undefined) {
    return failed(1, `nc: getaddrinfo for host "${to}" port ${port}: Name or service not known\n`);
  }
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65_535) {
    return failed(1, `nc: port number invalid: ${port}\n`);
  }
  const wait = parsed.values.get('w');
  if (wait !== undefined && !/^\d+$/.test(wait)) return failed(1, `nc: timeout invalid: ${wait}\n`);
  const protocol = parsed.flags.has('u') ? 'udp' : 'tcp';
  const result = probeFrom(host, to);
  if (result.reachable) {
    return {
      exitCode: 0,
      stdout: '',
      stderr: `Connection to ${to} ${port} port [${protocol}/*] succeeded!\n`,
      elapsedMs: Math.ceil(0.2 + 2 * (result.hops.length - 1)),
    };
  }
  return {
    exitCode: 1,
    stdout: '',
    stderr: `nc: connect to ${to} port ${port} (${protocol}) failed: Connection timed out\n`,
    // Without -w, the kernel's connect timeout (about two minutes on Linux).
    elapsedMs: (wait === undefined ? 130 : Number(wait)) * 1000,
  };
}
