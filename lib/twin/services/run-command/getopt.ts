/** Command-line options as the probes' own tools parse them. */
export interface Options {
  readonly values: Map<string, string>;
  readonly flags: Set<string>;
  readonly operands: string[];
}

/** POSIX getopt: `-c 3`, `-c3`, `-qn`, `--` ends the options; the message on an unknown or incomplete one. */
export function getopt(
  args: readonly string[],
  valued: string,
  flags: string,
): Options | { readonly error: string } {
  const options: Options = { values: new Map(), flags: new Set(), operands: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      options.operands.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      options.operands.push(arg);
      continue;
    }
    const cluster = readOptionCluster(arg, args[i + 1], valued, flags, options);
    if ('error' in cluster) return cluster;
    if (cluster.tookNextArgument) i++;
  }
  return options;
}

/**
 * One `-qn`/`-c3`/`-c 3` word: flags until a valued option, whose value is the rest of the word or, when
 * nothing is left of it, the next argument.
 */
function readOptionCluster(
  arg: string,
  nextArg: string | undefined,
  valued: string,
  flags: string,
  options: Options,
): { readonly tookNextArgument: boolean } | { readonly error: string } {
  for (let j = 1; j < arg.length; j++) {
    const option = arg.charAt(j);
    if (valued.includes(option)) {
      const tookNextArgument = j + 1 >= arg.length;
      const value = tookNextArgument ? nextArg : arg.slice(j + 1);
      if (value === undefined) return { error: `option requires an argument -- '${option}'` };
      options.values.set(option, value);
      return { tookNextArgument };
    }
    if (!flags.includes(option)) return { error: `invalid option -- '${option}'` };
    options.flags.add(option);
  }
  return { tookNextArgument: false };
}
