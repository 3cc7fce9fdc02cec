/** The base of every error tunnel-warden raises on purpose; subclasses live in each module's errors.ts. */
export class TunnelWardenError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
