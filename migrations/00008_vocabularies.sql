-- Controlled vocabularies for the fields reports group by (issue: reports).
-- Seeded from the reference lists; admins add entries. Values are stored as
-- their labels (NFC) on candidates and members, so a sheet typed in Excel
-- matches them; values that match no entry are listed for staff to fix.
-- +goose Up
CREATE TABLE vocabularies (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('ethnicity', 'religion', 'professional', 'theory', 'occupation')),
    label      text COLLATE vi NOT NULL CHECK (btrim(label) <> '' AND length(label) <= 100),
    position   integer NOT NULL CHECK (position > 0),
    common     boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, label)
);

INSERT INTO vocabularies (kind, label, position, common) VALUES
('ethnicity', 'Kinh', 1, true),
('ethnicity', 'Tày', 2, true),
('ethnicity', 'Thái', 3, true),
('ethnicity', 'Mường', 4, true),
('ethnicity', 'Khmer', 5, true),
('ethnicity', 'Hoa', 6, true),
('ethnicity', 'Nùng', 7, true),
('ethnicity', 'Mông', 8, false),
('ethnicity', 'Dao', 9, false),
('ethnicity', 'Gia Rai', 10, false),
('ethnicity', 'Ê Đê', 11, false),
('ethnicity', 'Ba Na', 12, false),
('ethnicity', 'Sán Chay', 13, false),
('ethnicity', 'Chăm', 14, false),
('ethnicity', 'Cơ Ho', 15, false),
('ethnicity', 'Xơ Đăng', 16, false),
('ethnicity', 'Sán Dìu', 17, false),
('ethnicity', 'Hrê', 18, false),
('ethnicity', 'Ra Glai', 19, false),
('ethnicity', 'Mnông', 20, false),
('ethnicity', 'Thổ', 21, false),
('ethnicity', 'Xtiêng', 22, false),
('ethnicity', 'Khơ Mú', 23, false),
('ethnicity', 'Bru Vân Kiều', 24, false),
('ethnicity', 'Cơ Tu', 25, false),
('ethnicity', 'Giáy', 26, false),
('ethnicity', 'Tà Ôi', 27, false),
('ethnicity', 'Mạ', 28, false),
('ethnicity', 'Giẻ Triêng', 29, false),
('ethnicity', 'Co', 30, false),
('ethnicity', 'Chơ Ro', 31, false),
('ethnicity', 'Xinh Mun', 32, false),
('ethnicity', 'Hà Nhì', 33, false),
('ethnicity', 'Chu Ru', 34, false),
('ethnicity', 'Lào', 35, false),
('ethnicity', 'Kháng', 36, false),
('ethnicity', 'La Chí', 37, false),
('ethnicity', 'Phù Lá', 38, false),
('ethnicity', 'La Hủ', 39, false),
('ethnicity', 'La Ha', 40, false),
('ethnicity', 'Pà Thẻn', 41, false),
('ethnicity', 'Chứt', 42, false),
('ethnicity', 'Lự', 43, false),
('ethnicity', 'Lô Lô', 44, false),
('ethnicity', 'Mảng', 45, false),
('ethnicity', 'Cơ Lao', 46, false),
('ethnicity', 'Bố Y', 47, false),
('ethnicity', 'Cống', 48, false),
('ethnicity', 'Ngái', 49, false),
('ethnicity', 'Si La', 50, false),
('ethnicity', 'Pu Péo', 51, false),
('ethnicity', 'Rơ Măm', 52, false),
('ethnicity', 'Brâu', 53, false),
('ethnicity', 'Ơ Đu', 54, false),
('religion', 'Không', 1, true),
('religion', 'Phật giáo', 2, true),
('religion', 'Công giáo', 3, true),
('religion', 'Tin lành', 4, true),
('religion', 'Cao Đài', 5, true),
('religion', 'Phật giáo Hòa Hảo', 6, true),
('religion', 'Hồi giáo', 7, false),
('religion', 'Bahá''í', 8, false),
('religion', 'Tịnh độ Cư sĩ Phật hội Việt Nam', 9, false),
('religion', 'Cơ đốc Phục lâm', 10, false),
('religion', 'Phật giáo Tứ Ân Hiếu Nghĩa', 11, false),
('religion', 'Bửu Sơn Kỳ Hương', 12, false),
('religion', 'Minh Sư Đạo', 13, false),
('religion', 'Minh Lý Đạo - Tam Tông Miếu', 14, false),
('religion', 'Giáo hội Phật đường Nam Tông Minh Sư Đạo', 15, false),
('religion', 'Hiếu Nghĩa Tà Lơn', 16, false),
('religion', 'Bà-la-môn giáo', 17, false),
('professional', 'Không có', 1, true),
('professional', 'Sơ cấp', 2, true),
('professional', 'Trung cấp', 3, true),
('professional', 'Cao đẳng', 4, true),
('professional', 'Đại học', 5, true),
('professional', 'Thạc sĩ', 6, true),
('professional', 'Tiến sĩ', 7, true),
('theory', 'Không có', 1, true),
('theory', 'Sơ cấp', 2, true),
('theory', 'Trung cấp', 3, true),
('theory', 'Cao cấp, cử nhân', 4, true),
('occupation', 'Công nhân', 1, true),
('occupation', 'Nông dân', 2, true),
('occupation', 'Cán bộ, công chức', 3, true),
('occupation', 'Viên chức', 4, true),
('occupation', 'Quân đội', 5, true),
('occupation', 'Công an', 6, true),
('occupation', 'Người lao động trong doanh nghiệp', 7, true),
('occupation', 'Chủ doanh nghiệp tư nhân', 8, true),
('occupation', 'Học sinh, sinh viên', 9, true),
('occupation', 'Hưu trí', 10, true),
('occupation', 'Lao động tự do', 11, true),
('occupation', 'Khác', 12, true);

-- Candidates: political theory; empty religion and professional level mean none.
ALTER TABLE candidates ADD COLUMN political_theory text NOT NULL DEFAULT 'Không có';
UPDATE candidates SET religion = 'Không' WHERE btrim(religion) = '' OR lower(btrim(religion)) IN ('không', 'khong');
UPDATE candidates SET education_professional = 'Không có' WHERE btrim(education_professional) = '';
ALTER TABLE candidates ALTER COLUMN religion SET DEFAULT 'Không';
ALTER TABLE candidates ALTER COLUMN education_professional SET DEFAULT 'Không có';

-- Members carry the composition a report counts: a member admitted through
-- ketnap gets their candidate's at the ceremony, one entered directly what
-- staff typed ('' when unknown, counted as "chưa rõ").
ALTER TABLE members
    ADD COLUMN ethnicity text NOT NULL DEFAULT '',
    ADD COLUMN religion text NOT NULL DEFAULT '',
    ADD COLUMN education_general text NOT NULL DEFAULT '' CHECK (education_general IN ('', 'literacy', 'primary', 'lower_secondary', 'upper_secondary')),
    ADD COLUMN education_professional text NOT NULL DEFAULT '',
    ADD COLUMN political_theory text NOT NULL DEFAULT '',
    ADD COLUMN occupation text NOT NULL DEFAULT '',
    ADD COLUMN youth_union boolean NOT NULL DEFAULT false,
    ADD COLUMN readmission boolean NOT NULL DEFAULT false;
UPDATE members m SET ethnicity = c.ethnicity, religion = c.religion, education_general = c.education_general,
    education_professional = c.education_professional, political_theory = c.political_theory, occupation = c.occupation,
    youth_union = c.youth_union, readmission = c.readmission
FROM candidates c WHERE c.id = m.candidate_id;

-- Stored text that matches an entry but for case or spacing takes the entry's spelling.
UPDATE candidates c SET ethnicity = v.label FROM vocabularies v
    WHERE v.kind = 'ethnicity' AND lower(btrim(c.ethnicity)) = lower(v.label) AND c.ethnicity <> v.label;
UPDATE candidates c SET religion = v.label FROM vocabularies v
    WHERE v.kind = 'religion' AND lower(btrim(c.religion)) = lower(v.label) AND c.religion <> v.label;
UPDATE candidates c SET education_professional = v.label FROM vocabularies v
    WHERE v.kind = 'professional' AND lower(btrim(c.education_professional)) = lower(v.label) AND c.education_professional <> v.label;
UPDATE candidates c SET occupation = v.label FROM vocabularies v
    WHERE v.kind = 'occupation' AND lower(btrim(c.occupation)) = lower(v.label) AND c.occupation <> v.label;
UPDATE members m SET ethnicity = v.label FROM vocabularies v
    WHERE v.kind = 'ethnicity' AND lower(btrim(m.ethnicity)) = lower(v.label) AND m.ethnicity <> v.label;
UPDATE members m SET religion = v.label FROM vocabularies v
    WHERE v.kind = 'religion' AND lower(btrim(m.religion)) = lower(v.label) AND m.religion <> v.label;
UPDATE members m SET occupation = v.label FROM vocabularies v
    WHERE v.kind = 'occupation' AND lower(btrim(m.occupation)) = lower(v.label) AND m.occupation <> v.label;

-- The report counts members by the date of their admission decision (or ceremony).
CREATE INDEX members_admitted_on_idx ON members (admitted_on, organization_id);
CREATE INDEX members_ceremony_on_idx ON members (ceremony_on, organization_id);

-- +goose Down
DROP INDEX members_ceremony_on_idx;
DROP INDEX members_admitted_on_idx;
ALTER TABLE members DROP COLUMN readmission, DROP COLUMN youth_union, DROP COLUMN occupation, DROP COLUMN political_theory,
    DROP COLUMN education_professional, DROP COLUMN education_general, DROP COLUMN religion, DROP COLUMN ethnicity;
ALTER TABLE candidates ALTER COLUMN education_professional SET DEFAULT '';
ALTER TABLE candidates ALTER COLUMN religion SET DEFAULT '';
ALTER TABLE candidates DROP COLUMN political_theory;
DROP TABLE vocabularies;
