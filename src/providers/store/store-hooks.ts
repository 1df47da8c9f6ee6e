// Failure-injection points for tests of crash safety (a process killed in the middle of a write).
// Production code never sets them.

export interface StoreHooks {
  /**
   * Called synchronously inside a write transaction once every row (intake or decision, and its
   * audit entries) is written, just before the commit. A test can throw here to force a rollback,
   * or block (Atomics.wait) and kill the process.
   */
  insideTransaction?(operation: 'createIntake' | 'recordDecision'): void;
}
