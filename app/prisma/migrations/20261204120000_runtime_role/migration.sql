-- The service runs as a member of platform_api_runtime (DATABASE_URL); migrations run as the owner of every
-- object (DATABASE_DIRECT_URL). The runtime role owns nothing, so it cannot disable or drop the audit
-- trigger, rename or drop a table, or grant itself more; on audit_logs it may only INSERT and SELECT.
-- (Written by hand: Prisma's schema language has no roles or grants; its diff ignores them.)

-- A role is cluster-wide and several databases (tiers, tests) may share a server: create it once, and let
-- a concurrent migration of another database that created it first win. In a cluster the owner has no
-- CREATEROLE (CloudNativePG creates it as `CREATE ROLE app LOGIN`), and PostgreSQL refuses CREATE ROLE to it
-- even for an existing role: the platform creates the role (a CloudNativePG managed role) and this only checks.
-- Embedded (PGlite, local tier): one superuser migrates, then the service's session does SET ROLE to this
-- role: the same grants apply to its queries, but the session could RESET ROLE (no boundary there).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'platform_api_runtime') THEN
        CREATE ROLE "platform_api_runtime" NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
    WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'role platform_api_runtime does not exist and % may not create it', current_user
            USING HINT = 'create it first (NOLOGIN; CloudNativePG: spec.managed.roles), then migrate again';
END
$$;

GRANT USAGE ON SCHEMA "public" TO "platform_api_runtime";

GRANT SELECT, INSERT, UPDATE, DELETE ON
    "users", "items", "sessions", "retired_refresh_tokens", "outbox_events", "processed_events", "notifications"
    TO "platform_api_runtime";

-- Append-only for the service, whatever the trigger: no UPDATE, DELETE or TRUNCATE privilege at all.
GRANT SELECT, INSERT ON "audit_logs" TO "platform_api_runtime";

GRANT USAGE, SELECT ON SEQUENCE "audit_logs_id_seq", "outbox_events_id_seq" TO "platform_api_runtime";

-- Tables later migrations create get the same read-write grants; an append-only one must REVOKE them.
ALTER DEFAULT PRIVILEGES IN SCHEMA "public"
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "platform_api_runtime";
ALTER DEFAULT PRIVILEGES IN SCHEMA "public"
    GRANT USAGE, SELECT ON SEQUENCES TO "platform_api_runtime";
