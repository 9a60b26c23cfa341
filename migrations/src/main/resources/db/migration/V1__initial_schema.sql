-- Latchkey's store. Append-only: change the schema with a new V<n>__<what>.sql, never by editing this file.

-- One installed MCP server. The same catalog server may be installed more than once
-- (two Slack workspaces), so an install has its own id.
CREATE TABLE installs (
    id            VARCHAR(36)   PRIMARY KEY,
    catalog_name  VARCHAR(200)  NOT NULL,
    display_name  VARCHAR(200)  NOT NULL,
    auth_method   VARCHAR(10)   NOT NULL CHECK (auth_method IN ('none', 'oauth', 'browser')),
    status        VARCHAR(20)   NOT NULL CHECK (status IN ('pending_auth', 'connecting', 'starting', 'running',
                                                           'needs_reauth', 'failed', 'stopped')),
    status_reason VARCHAR(1000),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The user_config values of an install. Sensitive values live in secrets, never here:
-- their row keeps only the key, so the UI can show that a value is set.
CREATE TABLE install_config (
    install_id  VARCHAR(36)   NOT NULL REFERENCES installs (id) ON DELETE CASCADE,
    config_key  VARCHAR(200)  NOT NULL,
    value_json  VARCHAR(65536),
    sensitive   BOOLEAN       NOT NULL,
    PRIMARY KEY (install_id, config_key),
    CHECK (sensitive OR value_json IS NOT NULL)
);

-- How an install is connected to its service: at most one connection per install.
CREATE TABLE connections (
    install_id     VARCHAR(36)   PRIMARY KEY REFERENCES installs (id) ON DELETE CASCADE,
    provider       VARCHAR(100)  NOT NULL,
    method         VARCHAR(10)   NOT NULL CHECK (method IN ('oauth', 'browser')),
    account_label  VARCHAR(300),
    status         VARCHAR(20)   NOT NULL CHECK (status IN ('pending', 'connected', 'needs_reauth', 'revoked')),
    expires_at     TIMESTAMP WITH TIME ZONE,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Every secret value (tokens, session cookies, sensitive user_config values), sealed with
-- AES-256-GCM. sealed = 12-byte nonce || ciphertext || tag; the install id and name are bound
-- in as associated data, so a sealed value copied to another row does not open.
CREATE TABLE secrets (
    install_id  VARCHAR(36)   NOT NULL REFERENCES installs (id) ON DELETE CASCADE,
    name        VARCHAR(200)  NOT NULL,
    sealed      VARBINARY(1048576) NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (install_id, name)
);

-- OAuth authorization requests waiting for their callback. The state is single use and is
-- kept only as a SHA-256 hash; the PKCE verifier is sealed like any secret.
CREATE TABLE pending_oauth_flows (
    state_hash     VARCHAR(64)   PRIMARY KEY,
    install_id     VARCHAR(36)   NOT NULL REFERENCES installs (id) ON DELETE CASCADE,
    provider       VARCHAR(100)  NOT NULL,
    redirect_uri   VARCHAR(2000) NOT NULL,
    sealed_verifier VARBINARY(1024) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- What happened, for the user and for support. Never a secret. No foreign key: the log
-- outlives the install it speaks of.
CREATE TABLE audit_log (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    install_id  VARCHAR(36),
    event       VARCHAR(50)   NOT NULL,
    detail      VARCHAR(1000)
);

CREATE INDEX audit_log_install ON audit_log (install_id, at);
