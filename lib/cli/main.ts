/** The `tunnel-warden` executable: bin/tunnel-warden.mjs imports this. Tests import run() from program.ts. */
import { run } from './program.js';

process.exitCode = await run(process.argv.slice(2));
