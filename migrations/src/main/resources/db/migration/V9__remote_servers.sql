-- Remote MCP servers (server.type "remote", or added by URL): where each install's server is, and
-- once signed in by MCP authorization, which grant it holds: the issuer, the resource (RFC 8707) and
-- the account. The tokens themselves are sealed in secrets, as every install's are.
CREATE TABLE remote_servers (
    install_id  VARCHAR(36)   PRIMARY KEY REFERENCES installs (id) ON DELETE CASCADE,
    url         VARCHAR(2000) NOT NULL,
    issuer      VARCHAR(2000),
    resource    VARCHAR(2000),
    account     VARCHAR(300),
    scope       VARCHAR(2000)
);
CREATE INDEX remote_servers_grant ON remote_servers (issuer, resource, account);

-- Clients Latchkey registered (RFC 7591) or was given, one per authorization server, reused by
-- every install that signs in there. A client secret, when the server issued one, is sealed.
CREATE TABLE remote_clients (
    issuer        VARCHAR(2000) PRIMARY KEY,
    client_id     VARCHAR(2000) NOT NULL,
    auth_method   VARCHAR(30)   NOT NULL,
    sealed_secret VARBINARY(4096),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
