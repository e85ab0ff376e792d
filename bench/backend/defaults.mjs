/*
 * Option defaults the backend benchmarks share (each usage comment says
 * them too).
 */

/** The score route's fleet, also the cycle's: 50 clusters x 2,000 objects. */
export const FLEET = {
  entities: 10000,
  clusters: 50,
  objects: 2000,
  templates: 10,
};

/** Measured runs under load: 3 of 20 s, each after 3 s unrecorded. */
export const LOAD_RUNS = { duration: 20, warmup: 3, runs: 3 };

/**
 * The benchmark's backend: PostgreSQL (--pg URL, else the env var, else
 * postgres@localhost), its log level, a CPU profile, the results file.
 */
export const BACKEND = { pg: '', logLevel: 'info', profile: false, out: '' };
