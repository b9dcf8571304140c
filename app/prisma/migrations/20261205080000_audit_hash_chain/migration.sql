-- The audit log as a hash chain: each entry carries the hash of the one before it and its own hash over that and
-- its content, so a rewritten, removed or reordered entry breaks the chain even where the append-only triggers
-- were switched off and on again (a restore drill and an auditor recompute it; see infra/src/dr).
-- Written by hand, like the append-only triggers: Prisma's diff ignores functions and triggers.

ALTER TABLE "audit_logs" ADD COLUMN "chain_seq" BIGINT, ADD COLUMN "prev_hash" BYTEA, ADD COLUMN "hash" BYTEA;
CREATE UNIQUE INDEX "audit_logs_chain_seq_key" ON "audit_logs"("chain_seq");

-- One entry's hash: SHA-256 over the previous hash and a canonical JSON array of the entry's fields (jsonb's text
-- form is deterministic; the time as epoch seconds, whatever the session's time zone).
CREATE FUNCTION "audit_logs_entry_hash"(prev BYTEA, entry "audit_logs") RETURNS BYTEA LANGUAGE sql STABLE AS $$
    SELECT sha256(coalesce(prev, '\x'::bytea) || convert_to(jsonb_build_array(
        entry.chain_seq, entry.actor_id, entry.action, entry.target, entry.outcome, entry.ip, entry.request_id,
        entry.metadata, extract(epoch FROM entry.created_at))::text, 'UTF8'))
$$;

-- Appends link under one transaction-scoped lock: concurrent inserts take turns at the head of the chain (the
-- lock is held to commit, so the next writer reads this entry as the head). The unique chain_seq turns any read
-- of a stale head (a REPEATABLE READ snapshot) into an error instead of a fork.
CREATE FUNCTION "audit_logs_link"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head "audit_logs";
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit_logs_chain'));
    SELECT * INTO head FROM "audit_logs" ORDER BY "chain_seq" DESC NULLS LAST LIMIT 1;
    NEW."chain_seq" := coalesce(head."chain_seq", 0) + 1;
    NEW."prev_hash" := head."hash";
    NEW."hash" := "audit_logs_entry_hash"(head."hash", NEW);
    RETURN NEW;
END;
$$;

-- Entries written before the chain are linked in id order, once. The append-only trigger would refuse the
-- UPDATE; the migration (the owner) lifts it for this statement only.
ALTER TABLE "audit_logs" DISABLE TRIGGER "audit_logs_append_only_rows";
DO $$
DECLARE
    entry "audit_logs";
    prev BYTEA;
    seq BIGINT := 0;
BEGIN
    FOR entry IN SELECT * FROM "audit_logs" ORDER BY "id" LOOP
        seq := seq + 1;
        entry."chain_seq" := seq;
        UPDATE "audit_logs"
           SET "chain_seq" = seq, "prev_hash" = prev, "hash" = "audit_logs_entry_hash"(prev, entry)
         WHERE "id" = entry."id";
        prev := "audit_logs_entry_hash"(prev, entry);
    END LOOP;
END;
$$;
ALTER TABLE "audit_logs" ENABLE TRIGGER "audit_logs_append_only_rows";

CREATE TRIGGER "audit_logs_chain"
    BEFORE INSERT ON "audit_logs"
    FOR EACH ROW EXECUTE FUNCTION "audit_logs_link"();
