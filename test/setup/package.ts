import { ensurePackaged } from '../../lib/eventbridge/package.js';

/** Tests read the packaged CloudFormation template: build it once per run when it is missing or stale. */
export default function setup(): void {
  ensurePackaged(process.cwd(), (line) => console.log(line));
}
