-- Data retention (src/retention): what the purges walk, legal holds on audit entries, and a purge of the audit
-- log that keeps its hash chain verifiable. Partly written by hand: Prisma's diff ignores functions, triggers and
-- grants, so the tables and indexes below are exactly what it would write and the rest is invisible to it.

-- CreateIndex
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

-- CreateIndex
CREATE INDEX "sessions_revoked_at_idx" ON "sessions"("revoked_at");

-- CreateIndex
CREATE INDEX "processed_events_processed_at_idx" ON "processed_events"("processed_at");

-- CreateIndex
CREATE INDEX "notifications_created_at_idx" ON "notifications"("created_at");

-- CreateTable
CREATE TABLE "audit_legal_holds" (
    "id" BIGSERIAL NOT NULL,
    "user_id" UUID,
    "from" TIMESTAMPTZ(3),
    "until" TIMESTAMPTZ(3),
    "reason" TEXT NOT NULL,
    "placed_by" TEXT NOT NULL,
    "placed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "released_at" TIMESTAMPTZ(3),
    "released_by" TEXT,

    CONSTRAINT "audit_legal_holds_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log_checkpoints" (
    "id" BIGSERIAL NOT NULL,
    "first_seq" BIGINT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "prev_hash" BYTEA,
    "last_hash" BYTEA NOT NULL,
    "cutoff" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_checkpoints_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_checkpoints_first_seq_key" ON "audit_log_checkpoints"("first_seq");

-- CreateIndex
CREATE UNIQUE INDEX "audit_log_checkpoints_last_seq_key" ON "audit_log_checkpoints"("last_seq");

-- An entry is held while any unreleased hold matches it: by user (its actor, or its target when that is the user)
-- and by time range, each left open when unset (a hold with neither holds every entry).
CREATE FUNCTION "audit_logs_held"(entry "audit_logs") RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT FROM "audit_legal_holds" h
         WHERE h."released_at" IS NULL
           AND (h."user_id" IS NULL OR h."user_id" = entry."actor_id" OR h."user_id"::text = entry."target")
           AND (h."from" IS NULL OR entry."created_at" >= h."from")
           AND (h."until" IS NULL OR entry."created_at" < h."until"))
$$;

-- The append-only guard, now with one way through: a DELETE inside a purge (which sets audit_logs.purge_cutoff
-- for its own transaction) of an entry older than that cutoff and under no hold. Setting the variable gives
-- nothing to the service's role (it holds no DELETE privilege); the owner, who could drop the guard anyway, can
-- remove only what retention may, and an entry removed without its checkpoint still breaks the verified chain.
-- The checkpoints are guarded by the same function, with no way through.
CREATE OR REPLACE FUNCTION "audit_logs_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_logs' THEN
        IF OLD."created_at" < nullif(current_setting('audit_logs.purge_cutoff', true), '')::timestamptz
           AND NOT "audit_logs_held"(OLD) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'audit entries are immutable; record a new entry instead';
END;
$$;

CREATE TRIGGER "audit_log_checkpoints_append_only_rows"
    BEFORE UPDATE OR DELETE ON "audit_log_checkpoints"
    FOR EACH ROW EXECUTE FUNCTION "audit_logs_refuse_change"();

CREATE TRIGGER "audit_log_checkpoints_append_only_truncate"
    BEFORE TRUNCATE ON "audit_log_checkpoints"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_logs_refuse_change"();

-- The head of the chain is its newest entry, or the newest checkpoint when retention removed that entry (a quiet
-- log may lose its last entry to a purge): the next entry links to whichever is further along.
CREATE OR REPLACE FUNCTION "audit_logs_link"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_seq BIGINT;
    head_hash BYTEA;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit_logs_chain'));
    SELECT seq, hash INTO head_seq, head_hash FROM (
        (SELECT "chain_seq" AS seq, "hash" FROM "audit_logs" ORDER BY "chain_seq" DESC NULLS LAST LIMIT 1)
        UNION ALL
        (SELECT "last_seq", "last_hash" FROM "audit_log_checkpoints" ORDER BY "last_seq" DESC LIMIT 1)
    ) heads ORDER BY seq DESC NULLS LAST LIMIT 1;
    NEW."chain_seq" := coalesce(head_seq, 0) + 1;
    NEW."prev_hash" := head_hash;
    NEW."hash" := "audit_logs_entry_hash"(head_hash, NEW);
    RETURN NEW;
END;
$$;

-- One bounded batch of the purge: the oldest entries before `cutoff` under no hold, at most `batch_size`. Each run
-- of consecutive removed entries leaves a checkpoint (its first and last chain_seq, the hash before the first and
-- the last one's hash), so a verifier walks entries and checkpoints as one unbroken chain. Under the chain's lock:
-- appends wait for the batch (milliseconds), and the head and the checkpoints always agree.
CREATE FUNCTION "audit_logs_purge_before"(cutoff TIMESTAMPTZ, batch_size INTEGER) RETURNS INTEGER
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    purged INTEGER;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit_logs_chain'));
    PERFORM set_config('audit_logs.purge_cutoff', cutoff::text, true);
    WITH doomed AS (
        SELECT a."chain_seq" FROM "audit_logs" a
         WHERE a."created_at" < cutoff AND NOT "audit_logs_held"(a)
         ORDER BY a."chain_seq" LIMIT batch_size
    ), removed AS (
        DELETE FROM "audit_logs" a USING doomed WHERE a."chain_seq" = doomed."chain_seq"
        RETURNING a."chain_seq", a."prev_hash", a."hash"
    ), runs AS (
        SELECT *, "chain_seq" - row_number() OVER (ORDER BY "chain_seq") AS run FROM removed
    ), checkpoints AS (
        INSERT INTO "audit_log_checkpoints" ("first_seq", "last_seq", "prev_hash", "last_hash", "cutoff")
        SELECT min("chain_seq"), max("chain_seq"), (array_agg("prev_hash" ORDER BY "chain_seq"))[1],
               (array_agg("hash" ORDER BY "chain_seq" DESC))[1], cutoff
          FROM runs GROUP BY run
        RETURNING "last_seq" - "first_seq" + 1 AS entries
    )
    SELECT coalesce(sum(entries), 0)::int INTO purged FROM checkpoints;
    PERFORM set_config('audit_logs.purge_cutoff', '', true);
    RETURN purged;
END;
$$;

-- What the service's role may call: a retention (at least a day, so a zero or a unit mistake cannot empty the
-- log) rather than a cutoff, computed here from the database's clock. SECURITY DEFINER runs it as the owner, the
-- only role with DELETE on audit_logs; the internal function above stays the owner's.
CREATE FUNCTION "audit_logs_purge"(retention INTERVAL, batch_size INTEGER) RETURNS INTEGER
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF retention IS NULL OR retention < interval '1 day' THEN
        RAISE EXCEPTION 'audit retention must be at least one day, not %', retention
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF batch_size IS NULL OR batch_size NOT BETWEEN 1 AND 10000 THEN
        RAISE EXCEPTION 'audit purge batch size must be 1 to 10000, not %', batch_size
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN "audit_logs_purge_before"(now() - retention, batch_size);
END;
$$;

REVOKE ALL ON FUNCTION "audit_logs_purge_before"(TIMESTAMPTZ, INTEGER) FROM PUBLIC;
REVOKE ALL ON FUNCTION "audit_logs_purge"(INTERVAL, INTEGER) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "audit_logs_purge"(INTERVAL, INTEGER) TO "platform_api_runtime";

-- The default privileges gave the runtime role read-write on both new tables. Checkpoints: read only (the purge
-- writes them as the owner). Holds: placed and released, never removed or rewritten (a release is a column).
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON "audit_log_checkpoints" FROM "platform_api_runtime";
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_legal_holds" FROM "platform_api_runtime";
GRANT UPDATE ("released_at", "released_by") ON "audit_legal_holds" TO "platform_api_runtime";
