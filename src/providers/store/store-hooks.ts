// Failure-injection points for tests of crash safety (a process killed in the middle of a write).
// Production code never sets them.

export interface StoreHooks {
  /**
   * Called synchronously inside a write transaction, after the intake or decision row is written and
   * before the commit. SQLite calls it once the audit entries are written too; PostgreSQL sends its
   * audit append together with the COMMIT, so there it runs just before that final message. A test
   * can throw here to force a rollback, or block (Atomics.wait) and kill the process.
   */
  insideTransaction?(operation: 'createIntake' | 'recordDecision'): void;
}
