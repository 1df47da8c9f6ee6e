// One versioned schema change. Stores list theirs in order; the runner records applied versions in
// `schema_migrations`. Append new migrations; never edit one that has been applied.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}
