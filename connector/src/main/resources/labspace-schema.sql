-- Labspace's own tables, next to EDC's in the lab's database. The audit log is append-only: the connector never
-- updates or deletes its rows.
CREATE TABLE IF NOT EXISTS labspace_audit
(
    seq         BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    kind        VARCHAR     NOT NULL,
    decision    VARCHAR     NOT NULL,
    participant VARCHAR,
    researcher  VARCHAR,
    dataset     VARCHAR,
    agreement   VARCHAR,
    transfer    VARCHAR,
    detail      TEXT        NOT NULL
);
CREATE INDEX IF NOT EXISTS labspace_audit_at ON labspace_audit (at);

CREATE TABLE IF NOT EXISTS labspace_revocation
(
    agreement_id VARCHAR PRIMARY KEY,
    revoked_at   TIMESTAMPTZ NOT NULL,
    reason       TEXT        NOT NULL
);

-- Researchers of this lab and their API keys for the research API, stored only as SHA-256 digests.
CREATE TABLE IF NOT EXISTS labspace_researcher
(
    name       VARCHAR PRIMARY KEY,
    key_hash   VARCHAR     NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
