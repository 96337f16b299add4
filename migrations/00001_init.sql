-- The first data model of ketnap.
-- Every table states in constraints what the domain can state: foreign keys,
-- CHECKs on enum-like columns and vote counts, NOT NULLs, and the unique keys
-- that make a double submit impossible.

-- +goose Up
-- Vietnamese collation for names (ICU); sorting "Ánh" next to "Anh", "Đức" after "Dũng".
CREATE COLLATION IF NOT EXISTS vi (provider = icu, locale = 'vi');
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The party organization tree. path is a materialized path of ids ("/1/4/"),
-- so the subtree of a scope is one indexed prefix query.
CREATE TABLE organizations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id   bigint REFERENCES organizations (id),
    kind        text NOT NULL CHECK (kind IN ('committee', 'cell')),
    name        text COLLATE vi NOT NULL CHECK (btrim(name) <> ''),
    code        text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9][a-z0-9-]*$'),
    path        text NOT NULL DEFAULT '' UNIQUE CHECK (path ~ '^(/[0-9]+)+/$'),
    -- an intermediate committee sits between this cell and the deciding committee (Mẫu 7/8-KNĐ)
    has_intermediate_committee boolean NOT NULL DEFAULT false,
    -- a grassroots Youth Union organization exists (Charter Art. 4 youth route)
    has_youth_union boolean NOT NULL DEFAULT true,
    active      boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (parent_id, name),
    CHECK (parent_id IS NOT NULL OR kind = 'committee'),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX organizations_path_idx ON organizations (path text_pattern_ops);

-- The path is kept by the database: set on insert from the parent's path,
-- and rewritten for the whole subtree when an organization moves.
-- +goose StatementBegin
CREATE FUNCTION organizations_set_path() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    parent_path text;
BEGIN
    IF NEW.parent_id IS NULL THEN
        NEW.path := '/' || NEW.id || '/';
    ELSE
        SELECT path INTO parent_path FROM organizations WHERE id = NEW.parent_id;
        IF parent_path IS NULL THEN
            RAISE EXCEPTION 'parent organization % does not exist', NEW.parent_id USING ERRCODE = 'foreign_key_violation';
        END IF;
        IF TG_OP = 'UPDATE' AND parent_path LIKE OLD.path || '%' THEN
            RAISE EXCEPTION 'an organization cannot move under itself' USING ERRCODE = 'check_violation';
        END IF;
        NEW.path := parent_path || NEW.id || '/';
    END IF;
    RETURN NEW;
END;
$$;
CREATE FUNCTION organizations_move_subtree() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.path <> OLD.path THEN
        UPDATE organizations SET path = NEW.path || substr(path, length(OLD.path) + 1)
        WHERE path LIKE OLD.path || '%' AND id <> NEW.id;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER organizations_path_insert BEFORE INSERT ON organizations
    FOR EACH ROW EXECUTE FUNCTION organizations_set_path();
CREATE TRIGGER organizations_path_move BEFORE UPDATE OF parent_id ON organizations
    FOR EACH ROW EXECUTE FUNCTION organizations_set_path();
CREATE TRIGGER organizations_path_subtree AFTER UPDATE OF parent_id ON organizations
    FOR EACH ROW EXECUTE FUNCTION organizations_move_subtree();
CREATE INDEX organizations_parent_idx ON organizations (parent_id);

-- Versioned rules: the set in force on a step's date judges it.
CREATE TABLE rule_sets (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code           text NOT NULL UNIQUE,
    effective_from date NOT NULL UNIQUE,
    citation       text NOT NULL CHECK (btrim(citation) <> ''),
    params         jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Public holidays for working-day deadlines; generated defaults stay editable.
CREATE TABLE holidays (
    day        date PRIMARY KEY,
    name       text NOT NULL CHECK (btrim(name) <> ''),
    source     text NOT NULL DEFAULT 'manual' CHECK (source IN ('generated', 'manual')),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username              text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9._-]{3,64}$'),
    full_name             text COLLATE vi NOT NULL CHECK (btrim(full_name) <> ''),
    password_hash         text NOT NULL,
    role                  text NOT NULL CHECK (role IN ('admin', 'staff', 'secretary', 'viewer')),
    scope_organization_id bigint NOT NULL REFERENCES organizations (id),
    active                boolean NOT NULL DEFAULT true,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_scope_idx ON users (scope_organization_id);

-- Server-side sessions: only the hash of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash   bytea PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    ip           text NOT NULL DEFAULT '',
    user_agent   text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- Candidates (quần chúng ưu tú). stage is derived from the steps by the
-- admission engine and stored for listing; version guards concurrent writes.
CREATE TABLE candidates (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id        bigint NOT NULL REFERENCES organizations (id),
    full_name              text COLLATE vi NOT NULL CHECK (btrim(full_name) <> ''),
    full_name_search       text NOT NULL,
    gender                 text NOT NULL CHECK (gender IN ('male', 'female')),
    birth_date             date NOT NULL,
    ethnicity              text NOT NULL DEFAULT 'Kinh',
    religion               text NOT NULL DEFAULT '',
    education_general      text NOT NULL CHECK (education_general IN ('literacy', 'primary', 'lower_secondary', 'upper_secondary')),
    education_approval_ref text NOT NULL DEFAULT '',
    education_professional text NOT NULL DEFAULT '',
    occupation             text NOT NULL DEFAULT '',
    youth_union            boolean NOT NULL DEFAULT false,
    trade_union            boolean NOT NULL DEFAULT false,
    readmission            boolean NOT NULL DEFAULT false,
    readmission_consent_ref text NOT NULL DEFAULT '',
    over_age_decision_ref  text NOT NULL DEFAULT '',
    stage                  text NOT NULL DEFAULT 'source' CHECK (stage IN (
                               'source', 'dossier', 'awaiting_decision', 'awaiting_ceremony',
                               'probationary', 'official', 'withdrawn', 'removed', 'transferred')),
    escalated              boolean NOT NULL DEFAULT false,
    idempotency_key        text UNIQUE,
    created_by             bigint REFERENCES users (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    version                integer NOT NULL DEFAULT 0 CHECK (version >= 0),
    CHECK (NOT readmission OR btrim(readmission_consent_ref) <> '')
);
CREATE INDEX candidates_org_stage_idx ON candidates (organization_id, stage);
CREATE INDEX candidates_name_idx ON candidates (full_name);
CREATE INDEX candidates_search_trgm_idx ON candidates USING gin (full_name_search gin_trgm_ops);

-- Party members of each cell; sponsors and helpers are members.
CREATE TABLE members (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id  bigint NOT NULL REFERENCES organizations (id),
    full_name        text COLLATE vi NOT NULL CHECK (btrim(full_name) <> ''),
    full_name_search text NOT NULL,
    gender           text NOT NULL CHECK (gender IN ('male', 'female')),
    birth_date       date NOT NULL,
    status           text NOT NULL CHECK (status IN ('probationary', 'official', 'removed', 'transferred')),
    admitted_on      date NOT NULL,
    official_on      date,
    -- set when the member came through ketnap's own admission path
    candidate_id     bigint UNIQUE REFERENCES candidates (id),
    -- natural key for demo and imported data, so loading twice adds nothing
    external_key     text UNIQUE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (status <> 'official' OR official_on IS NOT NULL),
    CHECK (official_on IS NULL OR official_on >= admitted_on),
    CHECK (birth_date < admitted_on)
);
CREATE INDEX members_org_status_idx ON members (organization_id, status);
CREATE INDEX members_name_idx ON members (full_name);

-- One row per thing that happened to a candidate. Never updated: a correction
-- is a new row that supersedes an old one with a reason. seq is the candidate's
-- version when the row was written, so two writers that read the same version
-- cannot both commit.
CREATE TABLE steps (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    candidate_id     bigint NOT NULL REFERENCES candidates (id),
    seq              integer NOT NULL CHECK (seq > 0),
    kind             text NOT NULL CHECK (kind IN (
                        'nominated', 'awareness_class', 'application', 'personal_history',
                        'verification', 'introduction', 'comments', 'cell_resolution',
                        'committee_resolution', 'decision', 'ceremony', 'new_member_class',
                        'recognition_resolution', 'recognition_decision',
                        'withdrawn', 'removed', 'transferred')),
    occurred_on      date NOT NULL,
    document_no      text NOT NULL DEFAULT '',
    issued_by        text NOT NULL DEFAULT '',
    received_on      date,
    votes_eligible   integer CHECK (votes_eligible > 0),
    votes_yes        integer,
    votes_against    integer,
    outcome          text NOT NULL DEFAULT 'done' CHECK (outcome IN ('done', 'passed', 'failed', 'inconclusive', 'removed')),
    route            text CHECK (route IN ('two_sponsors', 'youth_union', 'trade_union')),
    helper_member_id bigint REFERENCES members (id),
    approval_ref     text NOT NULL DEFAULT '',
    note             text NOT NULL DEFAULT '',
    supersedes_id    bigint UNIQUE REFERENCES steps (id),
    correction_reason text,
    rule_set_id      bigint NOT NULL REFERENCES rule_sets (id),
    recorded_by      bigint REFERENCES users (id),
    recorded_at      timestamptz NOT NULL DEFAULT now(),
    idempotency_key  text UNIQUE,
    UNIQUE (candidate_id, seq),
    CHECK (votes_yes IS NULL OR (votes_eligible IS NOT NULL AND votes_yes BETWEEN 0 AND votes_eligible)),
    CHECK (votes_against IS NULL OR (votes_eligible IS NOT NULL AND votes_against >= 0 AND votes_against + coalesce(votes_yes, 0) <= votes_eligible)),
    CHECK ((supersedes_id IS NULL) = (correction_reason IS NULL)),
    CHECK (correction_reason IS NULL OR btrim(correction_reason) <> ''),
    CHECK (received_on IS NULL OR received_on >= occurred_on)
);
CREATE INDEX steps_candidate_idx ON steps (candidate_id, occurred_on);
CREATE INDEX steps_kind_date_idx ON steps (kind, occurred_on);

-- Sponsors of an introduction step (Mẫu 3-KNĐ).
CREATE TABLE sponsors (
    step_id     bigint NOT NULL REFERENCES steps (id),
    member_id   bigint NOT NULL REFERENCES members (id),
    known_since date NOT NULL,
    relation    text NOT NULL CHECK (relation IN ('worked', 'studied', 'lived')),
    PRIMARY KEY (step_id, member_id)
);
CREATE INDEX sponsors_member_idx ON sponsors (member_id);

-- Admission targets per cell per year (chỉ tiêu kết nạp).
CREATE TABLE targets (
    organization_id bigint NOT NULL REFERENCES organizations (id),
    year            integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    admissions      integer NOT NULL CHECK (admissions >= 0),
    updated_by      bigint REFERENCES users (id),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organization_id, year)
);

-- The audit trail: append-only, written in the same transaction as the change.
CREATE TABLE audit_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    user_id         bigint REFERENCES users (id),
    organization_id bigint REFERENCES organizations (id),
    action          text NOT NULL CHECK (btrim(action) <> ''),
    entity          text NOT NULL CHECK (btrim(entity) <> ''),
    entity_id       bigint,
    before          jsonb,
    after           jsonb,
    ip              text NOT NULL DEFAULT '',
    request_id      text NOT NULL DEFAULT ''
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity, entity_id);
CREATE INDEX audit_events_user_at_idx ON audit_events (user_id, at);
CREATE INDEX audit_events_org_at_idx ON audit_events (organization_id, at);
CREATE INDEX audit_events_at_idx ON audit_events (at);

-- +goose StatementBegin
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_events_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate
    BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();

-- +goose Down
DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE targets;
DROP TABLE sponsors;
DROP TABLE steps;
DROP TABLE members;
DROP TABLE candidates;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE holidays;
DROP TABLE rule_sets;
DROP TABLE organizations;
DROP FUNCTION organizations_move_subtree();
DROP FUNCTION organizations_set_path();
DROP COLLATION IF EXISTS vi;
