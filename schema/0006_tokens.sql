-- API bearer tokens (`butler token create --staff EMP`). Only a SHA-256 hash is stored:
-- a leaked table does not leak usable tokens.
CREATE TABLE api_tokens (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id    integer NOT NULL REFERENCES staff,
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX api_tokens_staff ON api_tokens (staff_id);
