import type { Parameters } from 'fast-check';

/**
 * How a fuzz property runs (fast-check): a fixed seed, so that `npm test` is repeatable and a
 * failure in CI fails the same way on a laptop, a number of runs and a time budget that keep the
 * file well under a minute on a 2-core machine. By hand:
 *
 *   FUZZ_SEED=<n>                  another seed (fast-check prints the failing one)
 *   FUZZ_SEED=<n> FUZZ_PATH=<p>    replay exactly the counterexample fast-check printed
 *   FUZZ_RUNS=<n>                  run longer: n runs per property, with no time budget
 *   FUZZ_TIME_MS=<ms>              a time budget per property of your own
 */
export interface FuzzSettings {
  /** What fast-check is given (`fc.assert(property, settings.parameters)`). */
  parameters: Parameters<unknown>;
  /** A Jest timeout for one property: its budget and a margin for booting and shrinking. */
  jestTimeoutMs: number;
  /** FUZZ_PATH replays one counterexample: checks about the run as a whole do not apply. */
  replaying: boolean;
}

/** The default seed: any fixed number will do; this one is Otklik's first commit date. */
const DEFAULT_SEED = 20261127;

export function fuzzSettings(defaults: { numRuns: number; timeMs: number }): FuzzSettings {
  const integer = (name: string): number | undefined => {
    const raw = process.env[name];
    if (raw === undefined || raw === '') return undefined;
    if (!/^-?\d+$/.test(raw)) throw new Error(`${name} must be an integer, got "${raw}"`);
    return Number(raw);
  };
  const runs = integer('FUZZ_RUNS');
  const timeMs = integer('FUZZ_TIME_MS') ?? (runs === undefined ? defaults.timeMs : undefined);
  const path = process.env.FUZZ_PATH || undefined;
  return {
    parameters: {
      seed: integer('FUZZ_SEED') ?? DEFAULT_SEED,
      ...(path ? { path, endOnFailure: true } : {}),
      numRuns: runs ?? defaults.numRuns,
      // Stops generating new cases when the budget is spent; what ran must all have passed.
      ...(timeMs === undefined ? {} : { interruptAfterTimeLimit: timeMs }),
    },
    // Without a budget (FUZZ_RUNS alone) the runs decide how long it takes: an hour at most.
    jestTimeoutMs: timeMs === undefined ? 3_600_000 : timeMs + 60_000,
    replaying: path !== undefined,
  };
}
