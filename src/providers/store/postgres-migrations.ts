// Versioned schema for the PostgreSQL store. The runner applies missing migrations in one
// transaction holding an advisory lock, so replicas starting together migrate exactly once.
// Append new migrations; never edit an applied one.
import type { Migration } from './migration.js';

export const postgresMigrations: Migration[] = [
  {
    version: 1,
    name: 'intakes, audit trail, events, feedback, settings',
    sql: `
      CREATE TABLE intakes (
        position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        version INTEGER NOT NULL,
        previous_id TEXT UNIQUE REFERENCES intakes(id),
        input JSONB NOT NULL,
        classification JSONB NOT NULL,
        tier TEXT NOT NULL,
        flagged BOOLEAN NOT NULL,
        status TEXT NOT NULL,
        submitted_by JSONB NOT NULL,
        submitted_by_key TEXT NOT NULL,
        submitted_at TIMESTAMPTZ NOT NULL,
        decided_by JSONB,
        decided_at TIMESTAMPTZ,
        decision TEXT,
        decision_comment TEXT,
        idempotency_key TEXT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        CONSTRAINT intakes_idempotency_key UNIQUE (idempotency_key)
      );
      CREATE INDEX intakes_status ON intakes (status, position);
      CREATE INDEX intakes_submitted_by ON intakes (submitted_by_key, position);

      CREATE TABLE review_messages (
        position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        intake_id TEXT NOT NULL REFERENCES intakes(id),
        channel TEXT NOT NULL,
        reference JSONB NOT NULL,
        created_at TIMESTAMPTZ NOT NULL
      );
      CREATE INDEX review_messages_intake ON review_messages (intake_id, position);

      -- 'at' is text: it is hashed, so it is kept exactly as written.
      CREATE TABLE audit_entries (
        sequence BIGINT PRIMARY KEY,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        actor JSONB NOT NULL,
        intake_id TEXT,
        details JSONB NOT NULL,
        previous_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_entries_intake ON audit_entries (intake_id, sequence);
      CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit entries are append-only'; END;
      $$;
      CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries
        FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only();
      CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only();

      CREATE TABLE processed_events (
        channel TEXT NOT NULL,
        event_id TEXT NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (channel, event_id)
      );
      CREATE INDEX processed_events_expiry ON processed_events (expires_at);

      CREATE TABLE answer_feedback (
        answer_id TEXT NOT NULL,
        actor_key TEXT NOT NULL,
        actor JSONB NOT NULL,
        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
        comment TEXT,
        at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (answer_id, actor_key)
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value JSONB NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'audit appends in one statement',
    // The chain lock (the same advisory lock earlier versions take, so they still exclude each other
    // during a rolling upgrade), the read of the tail, the hashes and the insert, in one call: the lock
    // is held for this statement and the commit only. Each statement of a VOLATILE function takes a
    // fresh snapshot, so the tail is read after the lock is granted and sees the previous holder's
    // commit. Node sends each entry's canonical JSON up to "previousHash" as bytes; this appends the
    // ASCII tail `"previousHash":"<hex>","sequence":<n>}` and hashes with the built-in sha256().
    sql: `
      CREATE FUNCTION append_audit_entries(
        lock_key INTEGER,
        lock_scope TEXT,
        hash_prefixes BYTEA[],
        entry_ats TEXT[],
        entry_actions TEXT[],
        entry_actors JSONB[],
        entry_intake_ids TEXT[],
        entry_details JSONB[]
      ) RETURNS TABLE (appended_sequence BIGINT, appended_previous_hash TEXT, appended_hash TEXT)
      LANGUAGE plpgsql VOLATILE AS $$
      DECLARE
        tail_sequence BIGINT := 0;
        tail_hash TEXT := repeat('0', 64);
        sequences BIGINT[] := '{}';
        previous_hashes TEXT[] := '{}';
        hashes TEXT[] := '{}';
      BEGIN
        PERFORM pg_advisory_xact_lock(lock_key, hashtext(lock_scope));
        SELECT tail.sequence, tail.hash INTO tail_sequence, tail_hash
          FROM audit_entries AS tail ORDER BY tail.sequence DESC LIMIT 1;
        IF NOT FOUND THEN
          tail_sequence := 0;
          tail_hash := repeat('0', 64);
        END IF;
        FOR item IN 1 .. coalesce(cardinality(hash_prefixes), 0) LOOP
          previous_hashes[item] := tail_hash;
          tail_sequence := tail_sequence + 1;
          tail_hash := encode(sha256(hash_prefixes[item]
            || convert_to('"previousHash":"' || tail_hash || '","sequence":' || tail_sequence::text || '}', 'UTF8')), 'hex');
          sequences[item] := tail_sequence;
          hashes[item] := tail_hash;
        END LOOP;
        INSERT INTO audit_entries (sequence, at, action, actor, intake_id, details, previous_hash, hash)
          SELECT * FROM unnest(sequences, entry_ats, entry_actions, entry_actors, entry_intake_ids, entry_details, previous_hashes, hashes);
        RETURN QUERY SELECT * FROM unnest(sequences, previous_hashes, hashes);
      END;
      $$;
    `,
  },
  {
    version: 3,
    name: 'audit: attest the content of intakes stored before content hashing',
    // No schema change. Since this version, intake.submitted and intake.classified entries carry
    // hashes of the submitted content and the classification; this attests the intakes already
    // stored (none on a new database) so `audit verify` can reconcile every intake.
    sql: '',
    step: 'attest-intake-content',
  },
  {
    version: 4,
    name: 'obligation items, next review dates, notification outbox',
    sql: `
      ALTER TABLE intakes ADD COLUMN next_review_at TIMESTAMPTZ;
      CREATE INDEX intakes_next_review ON intakes (status, next_review_at);

      CREATE TABLE obligation_items (
        position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        intake_id TEXT NOT NULL REFERENCES intakes(id),
        number INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('obligation', 'condition')),
        obligation_id TEXT,
        framework TEXT,
        text TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('open', 'done', 'not_applicable')),
        owner JSONB,
        owner_key TEXT,
        due_at TIMESTAMPTZ,
        evidence_note TEXT,
        evidence_link TEXT,
        reason TEXT,
        revision INTEGER NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL,
        updated_by JSONB NOT NULL,
        CONSTRAINT obligation_items_number UNIQUE (intake_id, number)
      );
      CREATE INDEX obligation_items_owner ON obligation_items (owner_key, status);
      CREATE INDEX obligation_items_due ON obligation_items (status, due_at);

      -- Claimed with FOR UPDATE SKIP LOCKED, so replicas never take the same row at once.
      CREATE TABLE notifications (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        intake_id TEXT,
        payload JSONB NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        claimed_by TEXT,
        claimed_until TIMESTAMPTZ,
        finished_at TIMESTAMPTZ,
        outcome TEXT
      );
      CREATE INDEX notifications_pending ON notifications (created_at) WHERE finished_at IS NULL;
    `,
  },
];
