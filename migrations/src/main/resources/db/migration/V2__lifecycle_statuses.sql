-- The install lifecycle grows: `connected` (credentials stored, server not started), `installing`
-- (a first start fetching its packages) and `needs_relogin` (a browser session that expired).
-- V1's check on installs.status has a generated name, so the column is rebuilt with a named one.
ALTER TABLE installs ADD COLUMN lifecycle VARCHAR(20);
UPDATE installs SET lifecycle = status;
ALTER TABLE installs DROP COLUMN status;
ALTER TABLE installs ALTER COLUMN lifecycle RENAME TO status;
ALTER TABLE installs ALTER COLUMN status SET NOT NULL;
ALTER TABLE installs ADD CONSTRAINT installs_status CHECK (status IN (
    'pending_auth', 'connecting', 'connected', 'installing', 'starting', 'running',
    'needs_reauth', 'needs_relogin', 'failed', 'stopped'));
