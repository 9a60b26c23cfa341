-- Issue 18, the sandbox: whether an install's server may use the network (off: its bubblewrap
-- sandbox has no network namespace but its own), and whether its server was last started confined
-- (in a sandbox, or a docker server in its container); NULL until it first starts (docs/security.md).
ALTER TABLE installs ADD COLUMN network BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE installs ADD COLUMN sandboxed BOOLEAN;
