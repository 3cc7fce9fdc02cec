/** dynalite ships no types; this covers the one call the tests make. */
declare module 'dynalite' {
  import type { Server } from 'node:http';

  namespace dynalite {
    interface Options {
      verbose?: boolean;
      debug?: boolean;
      ssl?: boolean;
      /** Milliseconds a table stays CREATING (default 500); 0 makes it ACTIVE at once. */
      createTableMs?: number;
      deleteTableMs?: number;
      updateTableMs?: number;
      maxItemSizeKb?: number;
      /** A LevelDB directory; in memory when omitted. */
      path?: string;
    }
  }

  function dynalite(options?: dynalite.Options): Server;
  export = dynalite;
}
