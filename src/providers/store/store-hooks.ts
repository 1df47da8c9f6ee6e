// Failure-injection points for tests of crash safety (a process killed in the middle of a write).
// Production code never sets them.

export interface StoreHooks {
  /**
   * Called synchronously inside a write transaction, after the main row was written and before the
   * audit entries and the commit. A test can block here (e.g. Atomics.wait) and kill the process.
   */
  insideTransaction?(operation: 'createIntake' | 'recordDecision'): void;
}
