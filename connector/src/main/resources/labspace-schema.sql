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
