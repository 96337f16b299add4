-- The default rule set: Quy định 294-QĐ/TW (26/5/2025)
-- and Hướng dẫn 06-HD/TW (9/6/2025). Later regulations add a new row with a
-- later effective date; steps keep the id of the set that judged them.

-- +goose Up
INSERT INTO rule_sets (code, effective_from, citation, params) VALUES (
    '294-QD-TW-2025',
    DATE '2025-05-26',
    'Quy định 294-QĐ/TW (26/5/2025); Hướng dẫn 06-HD/TW (9/6/2025)',
    '{
      "min_age_months": 216,
      "max_age_months": 720,
      "certificate_validity_months": 60,
      "sponsor_known_months": 12,
      "vote_numerator": 2,
      "vote_denominator": 3,
      "decision_due_working_days": 60,
      "decision_extension_working_days": 30,
      "ceremony_due_working_days": 30,
      "probation_months": 12,
      "recognition_review_working_days": 30,
      "recognition_decision_working_days": 30,
      "inconclusive_votes_limit": 3,
      "verification_validity_months": 0,
      "youth_age_max_years": 30,
      "youth_route_required": true,
      "min_education": "lower_secondary",
      "due_soon_days": 14
    }'::jsonb
);

-- +goose Down
DELETE FROM rule_sets WHERE code = '294-QD-TW-2025';
