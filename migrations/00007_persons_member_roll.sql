-- One person behind a candidate file and the member record it becomes; the
-- member roll as part of the engine: the ceremony date (probation) beside the
-- decision date (seniority), the day a member left, whether the member works
-- elsewhere for a while or is exempted from activity, and the member events
-- that record every change of status with its date and reason. Cell votes
-- record how the eligible number was computed from the roll.

-- +goose Up
CREATE TABLE persons (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name        text COLLATE vi NOT NULL CHECK (btrim(full_name) <> ''),
    full_name_search text NOT NULL,
    gender           text NOT NULL CHECK (gender IN ('male', 'female')),
    birth_date       date NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    -- the record this person was carried forward from (migration only)
    origin           text UNIQUE
);
CREATE INDEX persons_identity_idx ON persons (full_name_search, birth_date, gender);

ALTER TABLE candidates ADD COLUMN person_id bigint REFERENCES persons (id);
ALTER TABLE members ADD COLUMN person_id bigint REFERENCES persons (id);

INSERT INTO persons (full_name, full_name_search, gender, birth_date, origin)
SELECT full_name, full_name_search, gender, birth_date, 'candidate:' || id FROM candidates ORDER BY id;
UPDATE candidates c SET person_id = p.id FROM persons p WHERE p.origin = 'candidate:' || c.id;
UPDATE members m SET person_id = c.person_id FROM candidates c WHERE c.id = m.candidate_id;
INSERT INTO persons (full_name, full_name_search, gender, birth_date, origin)
SELECT full_name, full_name_search, gender, birth_date, 'member:' || id FROM members WHERE person_id IS NULL ORDER BY id;
UPDATE members m SET person_id = p.id FROM persons p WHERE m.person_id IS NULL AND p.origin = 'member:' || m.id;
ALTER TABLE candidates ALTER COLUMN person_id SET NOT NULL;
ALTER TABLE members ALTER COLUMN person_id SET NOT NULL;
CREATE UNIQUE INDEX candidates_person_idx ON candidates (person_id);
CREATE INDEX members_person_idx ON members (person_id);

-- The person is the one identity; the copies on candidates and members are
-- kept for listing and sorting and follow every change of the person.
-- +goose StatementBegin
CREATE FUNCTION persons_propagate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE candidates SET full_name = NEW.full_name, full_name_search = NEW.full_name_search,
        gender = NEW.gender, birth_date = NEW.birth_date
    WHERE person_id = NEW.id AND (full_name, full_name_search, gender, birth_date)
        IS DISTINCT FROM (NEW.full_name, NEW.full_name_search, NEW.gender, NEW.birth_date);
    UPDATE members SET full_name = NEW.full_name, full_name_search = NEW.full_name_search,
        gender = NEW.gender, birth_date = NEW.birth_date
    WHERE person_id = NEW.id AND (full_name, full_name_search, gender, birth_date)
        IS DISTINCT FROM (NEW.full_name, NEW.full_name_search, NEW.gender, NEW.birth_date);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER persons_propagate AFTER UPDATE ON persons
    FOR EACH ROW EXECUTE FUNCTION persons_propagate();

-- admitted_on stays the decision date (party seniority); ceremony_on starts the probation.
ALTER TABLE members ADD COLUMN ceremony_on date;
UPDATE members m SET ceremony_on = (
    SELECT s.occurred_on FROM steps s
    WHERE s.candidate_id = m.candidate_id AND s.kind = 'ceremony'
      AND NOT EXISTS (SELECT 1 FROM steps x WHERE x.supersedes_id = s.id)
    ORDER BY s.seq DESC LIMIT 1)
WHERE m.candidate_id IS NOT NULL;
UPDATE members SET ceremony_on = admitted_on WHERE ceremony_on IS NULL;
ALTER TABLE members ALTER COLUMN ceremony_on SET NOT NULL;
ALTER TABLE members ADD CONSTRAINT members_ceremony_after_decision CHECK (ceremony_on >= admitted_on);
ALTER TABLE members ADD CONSTRAINT members_official_after_ceremony CHECK (official_on IS NULL OR official_on >= ceremony_on);

-- the day a removed or transferred member left the cell's roll
ALTER TABLE members ADD COLUMN left_on date;
UPDATE members SET left_on = greatest(ceremony_on, coalesce(official_on, ceremony_on), updated_at::date)
WHERE status IN ('removed', 'transferred');
ALTER TABLE members ADD CONSTRAINT members_left_on CHECK ((status IN ('removed', 'transferred')) = (left_on IS NOT NULL));

-- activity: the statuses the vote denominator needs (294-QĐ/TW 9.3.2)
ALTER TABLE members ADD COLUMN activity text NOT NULL DEFAULT 'active'
    CHECK (activity IN ('active', 'working_elsewhere', 'exempted'));
ALTER TABLE members ADD COLUMN activity_since date;
ALTER TABLE members ADD CONSTRAINT members_activity_since CHECK ((activity = 'active') = (activity_since IS NULL));
ALTER TABLE members ADD COLUMN version integer NOT NULL DEFAULT 0 CHECK (version >= 0);
ALTER TABLE members ADD COLUMN idempotency_key text UNIQUE;

-- Every change of a member's status, with its date and reason.
CREATE TABLE member_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id       bigint NOT NULL REFERENCES members (id),
    kind            text NOT NULL CHECK (kind IN ('admitted', 'official', 'working_elsewhere', 'returned',
                        'exempted', 'exemption_ended', 'removed', 'transferred')),
    occurred_on     date NOT NULL,
    reason          text NOT NULL DEFAULT '',
    -- the step that caused it, for members admitted through the workflow
    step_id         bigint REFERENCES steps (id),
    recorded_by     bigint REFERENCES users (id),
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    idempotency_key text UNIQUE
);
CREATE INDEX member_events_member_idx ON member_events (member_id, occurred_on);

INSERT INTO member_events (member_id, kind, occurred_on, reason)
SELECT id, 'admitted', ceremony_on, 'Chuyển từ dữ liệu trước đây' FROM members ORDER BY id;
INSERT INTO member_events (member_id, kind, occurred_on, reason)
SELECT id, 'official', official_on, 'Chuyển từ dữ liệu trước đây' FROM members WHERE official_on IS NOT NULL ORDER BY id;
INSERT INTO member_events (member_id, kind, occurred_on, reason)
SELECT id, status, left_on, 'Chuyển từ dữ liệu trước đây' FROM members WHERE left_on IS NOT NULL ORDER BY id;

-- A cell vote records how the eligible number came from the roll: official
-- members on the roll, those working elsewhere, the exempted who did not
-- attend, and those present. NULL on votes recorded before the roll existed.
ALTER TABLE steps ADD COLUMN votes_on_roll integer CHECK (votes_on_roll >= 0);
ALTER TABLE steps ADD COLUMN votes_away integer CHECK (votes_away >= 0);
ALTER TABLE steps ADD COLUMN votes_exempt_absent integer CHECK (votes_exempt_absent >= 0);
ALTER TABLE steps ADD COLUMN votes_present integer CHECK (votes_present >= 0);
ALTER TABLE steps ADD CONSTRAINT steps_votes_roll CHECK (votes_on_roll IS NULL OR
    (votes_eligible = votes_on_roll - coalesce(votes_away, 0) - coalesce(votes_exempt_absent, 0)));

-- +goose Down
ALTER TABLE steps DROP CONSTRAINT steps_votes_roll;
ALTER TABLE steps DROP COLUMN votes_present, DROP COLUMN votes_exempt_absent, DROP COLUMN votes_away, DROP COLUMN votes_on_roll;
DROP TABLE member_events;
ALTER TABLE members DROP COLUMN idempotency_key, DROP COLUMN version, DROP COLUMN activity_since, DROP COLUMN activity,
    DROP COLUMN left_on, DROP COLUMN ceremony_on;
DROP TRIGGER persons_propagate ON persons;
DROP FUNCTION persons_propagate();
ALTER TABLE members DROP COLUMN person_id;
ALTER TABLE candidates DROP COLUMN person_id;
DROP TABLE persons;
