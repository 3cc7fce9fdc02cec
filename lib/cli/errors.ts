import { TunnelWardenError } from '../errors.js';

/** A bad command line: exit code 2, with a pointer to the command's --help. */
export class UsageError extends TunnelWardenError {}

/** A file or value the command was given that it cannot use (not an event, no such tunnel): exit code 2. */
export class InputError extends TunnelWardenError {}
