/**
 * The tag every resource tunnel-warden writes to must carry, with the value `true`: the IAM policy in
 * serverless.yml makes it a condition of each write (`aws:ResourceTag/tunnel-warden:managed`), and the
 * twin enforces the same.
 */
export const MANAGED_TAG_KEY = 'tunnel-warden:managed';
export const MANAGED_TAG_VALUE = 'true';
