-- Run once, by the postgres image's entrypoint, on an empty data directory. What CloudNativePG makes from the
-- Cluster's spec: the owner of the database (migrations log in as it, DATABASE_DIRECT_URL), without CREATEROLE,
-- and the runtime role the service logs in as (DATABASE_URL, through PgBouncer), a managed LOGIN role that owns
-- nothing. Migration 20261204120000_runtime_role finds the role here and only grants it.
-- The passwords are compose/vault/dev-secrets.json's (infra/test/compose/ checks that they agree).
CREATE ROLE app LOGIN PASSWORD 'dev-owner-not-a-secret';
CREATE ROLE platform_api_runtime LOGIN PASSWORD 'dev-runtime-not-a-secret';
CREATE DATABASE app OWNER app;
