-- The admission decision is due 60 working days after the cell's resolution
-- and may be extended once by up to 30 working days (232-QĐ/TW 4.3.1): the
-- extension is a step the committee records.

-- +goose Up
ALTER TABLE steps DROP CONSTRAINT steps_kind_check;
ALTER TABLE steps ADD CONSTRAINT steps_kind_check CHECK (kind IN (
    'nominated', 'awareness_class', 'application', 'personal_history',
    'verification', 'introduction', 'comments', 'cell_resolution',
    'committee_resolution', 'decision_extension', 'decision', 'ceremony', 'new_member_class',
    'recognition_resolution', 'recognition_decision',
    'withdrawn', 'removed', 'transferred'));

-- +goose Down
DELETE FROM steps WHERE kind = 'decision_extension';
ALTER TABLE steps DROP CONSTRAINT steps_kind_check;
ALTER TABLE steps ADD CONSTRAINT steps_kind_check CHECK (kind IN (
    'nominated', 'awareness_class', 'application', 'personal_history',
    'verification', 'introduction', 'comments', 'cell_resolution',
    'committee_resolution', 'decision', 'ceremony', 'new_member_class',
    'recognition_resolution', 'recognition_decision',
    'withdrawn', 'removed', 'transferred'));
