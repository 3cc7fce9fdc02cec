import fc from 'fast-check';

/**
 * Property tests run with a fixed seed by default, so that `npm test` (and CI) is reproducible: a
 * property that fails, fails every time, on every machine. To explore new inputs, run with
 * `PROPERTY_SEED=random` (and more runs: `PROPERTY_RUNS=20000` for the policy properties); a
 * counterexample found that way prints its seed and path, which replay it exactly.
 */
const DEFAULT_SEED = 20_261_130;
const chosen = process.env.PROPERTY_SEED;
if (chosen !== 'random') {
  const seed = chosen === undefined ? DEFAULT_SEED : Number(chosen);
  if (!Number.isSafeInteger(seed))
    throw new Error(`PROPERTY_SEED must be an integer or "random", got "${chosen}"`);
  fc.configureGlobal({ seed });
}
