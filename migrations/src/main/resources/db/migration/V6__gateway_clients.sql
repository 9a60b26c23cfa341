-- The MCP clients that may use the gateway (/mcp). A client's token is kept only as its SHA-256
-- hash; the token itself is shown once, when the client is made. A revoked client stays listed
-- (its calls are history) but is refused.
CREATE TABLE mcp_clients (
    id            VARCHAR(36)   PRIMARY KEY,
    name          VARCHAR(200)  NOT NULL,
    kind          VARCHAR(30),
    token_hash    VARCHAR(64)   NOT NULL UNIQUE,
    all_installs  BOOLEAN       NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    last_call_at  TIMESTAMP WITH TIME ZONE,
    call_count    BIGINT        DEFAULT 0 NOT NULL
);

-- The installs a client limited to some (all_installs = FALSE) may use.
CREATE TABLE mcp_client_installs (
    client_id   VARCHAR(36)   NOT NULL REFERENCES mcp_clients (id) ON DELETE CASCADE,
    install_id  VARCHAR(36)   NOT NULL REFERENCES installs (id) ON DELETE CASCADE,
    PRIMARY KEY (client_id, install_id)
);

-- Which client a row is about (a tools/call through the gateway), next to its install.
ALTER TABLE audit_log ADD COLUMN client_id VARCHAR(36);
