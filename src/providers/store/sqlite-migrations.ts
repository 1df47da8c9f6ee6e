// Versioned schema for the SQLite store. Missing migrations run in one write transaction and are
// recorded in `schema_migrations`. Append new migrations; never edit an applied one.
import type { Migration } from './migration.js';

export const sqliteMigrations: Migration[] = [
  {
    version: 1,
    name: 'intakes, audit trail, events, feedback, settings',
    sql: `
      CREATE TABLE intakes (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL,
        previous_id TEXT UNIQUE REFERENCES intakes(id),
        input TEXT NOT NULL,
        classification TEXT NOT NULL,
        tier TEXT NOT NULL,
        flagged INTEGER NOT NULL,
        status TEXT NOT NULL,
        submitted_by TEXT NOT NULL,
        submitted_by_key TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT,
        decision TEXT,
        decision_comment TEXT,
        idempotency_key TEXT NOT NULL UNIQUE,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX intakes_status ON intakes (status, position);
      CREATE INDEX intakes_submitted_by ON intakes (submitted_by_key, position);

      CREATE TABLE review_messages (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        intake_id TEXT NOT NULL REFERENCES intakes(id),
        channel TEXT NOT NULL,
        reference TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX review_messages_intake ON review_messages (intake_id, position);

      CREATE TABLE audit_entries (
        sequence INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        actor TEXT NOT NULL,
        intake_id TEXT,
        details TEXT NOT NULL,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_entries_intake ON audit_entries (intake_id, sequence);
      CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
      CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
        BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;

      CREATE TABLE processed_events (
        channel TEXT NOT NULL,
        event_id TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        PRIMARY KEY (channel, event_id)
      );
      CREATE INDEX processed_events_expiry ON processed_events (expires_at);

      CREATE TABLE answer_feedback (
        answer_id TEXT NOT NULL,
        actor_key TEXT NOT NULL,
        actor TEXT NOT NULL,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        comment TEXT,
        at TEXT NOT NULL,
        PRIMARY KEY (answer_id, actor_key)
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'audit: attest the content of intakes stored before content hashing',
    // No schema change. Since this version, intake.submitted and intake.classified entries carry
    // hashes of the submitted content and the classification; this attests the intakes already
    // stored (none on a new database) so `audit verify` can reconcile every intake.
    sql: '',
    step: 'attest-intake-content',
  },
  {
    version: 3,
    name: 'obligation items, next review dates, notification outbox',
    sql: `
      ALTER TABLE intakes ADD COLUMN next_review_at TEXT;
      CREATE INDEX intakes_next_review ON intakes (status, next_review_at);

      CREATE TABLE obligation_items (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        intake_id TEXT NOT NULL REFERENCES intakes(id),
        number INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('obligation', 'condition')),
        obligation_id TEXT,
        framework TEXT,
        text TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'done', 'not_applicable')),
        owner TEXT,
        owner_key TEXT,
        due_at TEXT,
        evidence_note TEXT,
        evidence_link TEXT,
        reason TEXT,
        revision INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        UNIQUE (intake_id, number)
      );
      CREATE INDEX obligation_items_owner ON obligation_items (owner_key, status);
      CREATE INDEX obligation_items_due ON obligation_items (status, due_at);

      CREATE TABLE notifications (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        intake_id TEXT,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_by TEXT,
        claimed_until TEXT,
        finished_at TEXT,
        outcome TEXT
      );
      CREATE INDEX notifications_pending ON notifications (finished_at, created_at);
    `,
  },
];
