-- The probation year's papers as steps: the new member's self-review
-- (10-KNĐ), the helper's assessment (11-KNĐ) and the summary of comments
-- (12-KNĐ).
-- +goose Up
ALTER TABLE steps DROP CONSTRAINT steps_kind_check;
ALTER TABLE steps ADD CONSTRAINT steps_kind_check CHECK (kind IN (
    'nominated', 'awareness_class', 'application', 'personal_history',
    'verification', 'introduction', 'comments', 'cell_resolution',
    'committee_resolution', 'decision_extension', 'decision', 'ceremony', 'new_member_class',
    'self_review', 'helper_assessment', 'probation_comments',
    'recognition_resolution', 'recognition_decision',
    'withdrawn', 'removed', 'transferred'));

-- +goose Down
DELETE FROM sponsors WHERE step_id IN (SELECT id FROM steps WHERE kind IN ('self_review', 'helper_assessment', 'probation_comments'));
DELETE FROM steps WHERE kind IN ('self_review', 'helper_assessment', 'probation_comments');
ALTER TABLE steps DROP CONSTRAINT steps_kind_check;
ALTER TABLE steps ADD CONSTRAINT steps_kind_check CHECK (kind IN (
    'nominated', 'awareness_class', 'application', 'personal_history',
    'verification', 'introduction', 'comments', 'cell_resolution',
    'committee_resolution', 'decision_extension', 'decision', 'ceremony', 'new_member_class',
    'recognition_resolution', 'recognition_decision',
    'withdrawn', 'removed', 'transferred'));
