// One versioned schema change. Stores list theirs in order; the runner records applied versions in
// `schema_migrations`. Append new migrations; never edit one that has been applied.

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * Work done in code after `sql`, in the same transaction. `attest-intake-content` appends one
   * `intake.attested` audit entry (content and classification hashes) for every intake already
   * stored, so intakes written before submission entries carried those hashes are covered too.
   */
  step?: 'attest-intake-content';
}
