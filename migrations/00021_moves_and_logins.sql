-- +goose Up
-- Two lookups that searched the whole audit trail (every month of it since
-- 00020) read a column instead: whether and when a file last changed cell,
-- and when a user signed in before the current session.
ALTER TABLE candidates ADD COLUMN moved_at timestamptz;
UPDATE candidates c SET moved_at = m.at
FROM (SELECT entity_id, max(at) AS at FROM audit_events WHERE entity = 'candidate' AND action = 'candidate.move' GROUP BY 1) m
WHERE c.id = m.entity_id;

ALTER TABLE users ADD COLUMN last_login_at timestamptz, ADD COLUMN previous_login_at timestamptz;
UPDATE users u SET last_login_at = l.last, previous_login_at = l.previous
FROM (SELECT user_id, max(at) FILTER (WHERE n = 1) AS last, max(at) FILTER (WHERE n = 2) AS previous
      FROM (SELECT user_id, at, row_number() OVER (PARTITION BY user_id ORDER BY at DESC) AS n
            FROM audit_events WHERE action = 'login.success' AND user_id IS NOT NULL) x
      WHERE n <= 2 GROUP BY user_id) l
WHERE u.id = l.user_id;

-- +goose Down
ALTER TABLE users DROP COLUMN last_login_at, DROP COLUMN previous_login_at;
ALTER TABLE candidates DROP COLUMN moved_at;
