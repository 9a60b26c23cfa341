-- Refusals that repeat (a callback page reloaded, a script probing /oauth/callback) are kept as one
-- row per (install, event, detail) per hour: `repeats` counts them, `last_at` is the newest.
-- The indexes serve finding a refusal's row of the hour and pruning by age (docs/security.md).
ALTER TABLE audit_log ADD COLUMN repeats INT DEFAULT 1 NOT NULL;
ALTER TABLE audit_log ADD COLUMN last_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_event ON audit_log (event, at);
