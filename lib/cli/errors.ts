import { TunnelWardenError } from '../errors.js';

/** A bad command line: exit code 2 with a message that says what to type instead. */
export class UsageError extends TunnelWardenError {}
