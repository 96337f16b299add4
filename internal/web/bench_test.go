package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"ketnap/internal/admission"
)

// benchGet measures the server time of one page (handler, queries, render)
// for a signed-in user, over the demo ward.
func benchGet(b *testing.B, c *client, path string) {
	b.Helper()
	if rec := c.do("GET", path, nil); rec.Code != http.StatusOK {
		b.Fatalf("%s: %d", path, rec.Code)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if rec := c.do("GET", path, nil); rec.Code != http.StatusOK {
			b.Fatalf("%s: %d", path, rec.Code)
		}
	}
}

func BenchmarkPages(b *testing.B) {
	e := newEnv(b, true)
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	var cand int64
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT id FROM candidates WHERE stage = 'probationary' ORDER BY id LIMIT 1`).Scan(&cand); err != nil {
		b.Fatal(err)
	}
	b.Run("CandidateList", func(b *testing.B) { benchGet(b, staff, "/quan-chung") })
	b.Run("CandidateListSearch", func(b *testing.B) { benchGet(b, staff, "/quan-chung?giai-doan=&q=thi") })
	b.Run("CandidatePage", func(b *testing.B) { benchGet(b, staff, "/quan-chung/"+strconv.FormatInt(cand, 10)) })
	b.Run("Dashboard", func(b *testing.B) { benchGet(b, staff, "/") })
}

// BenchmarkCandidateList100k measures the list and its search over 100 000
// candidates in the ward (bench data inserted with SQL, not a demo).
func BenchmarkCandidateList100k(b *testing.B) {
	e := newEnv(b, true)
	ctx := context.Background()
	_, err := e.db.Pool.Exec(ctx, `INSERT INTO candidates (organization_id, full_name, full_name_search, gender, birth_date, education_general, stage, next_due)
		SELECT o.id, 'Nguyễn Văn Thử ' || g, 'nguyen van thu ' || g, 'male', date '1990-01-01' + (g % 5000), 'upper_secondary',
			(ARRAY['source','dossier','awaiting_decision','awaiting_ceremony','probationary'])[1 + g % 5], date '2026-01-01' + (g % 700)
		FROM generate_series(1, 100000) g JOIN LATERAL (SELECT id FROM organizations WHERE kind = 'cell' ORDER BY id OFFSET g % 8 LIMIT 1) o ON true`)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.db.Pool.Exec(ctx, `ANALYZE candidates`); err != nil {
		b.Fatal(err)
	}
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	b.Run("List", func(b *testing.B) { benchGet(b, staff, "/quan-chung") })
	b.Run("SearchRare", func(b *testing.B) { benchGet(b, staff, "/quan-chung?giai-doan=&q=thuan") })
	b.Run("Overdue", func(b *testing.B) { benchGet(b, staff, "/quan-chung?han=overdue") })
	b.Run("LastPage", func(b *testing.B) { benchGet(b, staff, "/quan-chung?trang=1990") })
	b.Run("Dashboard", func(b *testing.B) { benchGet(b, staff, "/") })
}

// bigWard is a sheet of about 10 000 rows: two cells, 6 000 members, 2 000
// candidates and their nominations; prefix keeps each run's keys apart.
func bigWard(prefix string) sheetRows {
	code := strings.ToLower(prefix)
	s := sheetRows{admission.SheetOrgs: {
		{"code": code + "-a", "name": "Chi bộ " + prefix + " A", "kind": "Chi bộ"},
		{"code": code + "-b", "name": "Chi bộ " + prefix + " B", "kind": "Chi bộ"},
	}}
	for i := 0; i < 6000; i++ {
		s[admission.SheetMembers] = append(s[admission.SheetMembers], map[string]string{"key": prefix + "-dv-" + strconv.Itoa(i), "full_name": "Nguyễn Văn Đảng " + strconv.Itoa(i),
			"gender": "Nam", "birth_date": "01/01/1960", "ethnicity": "Kinh", "religion": "Không", "education_general": "Trung học phổ thông",
			"admitted_on": "02/09/2000", "official_on": "02/09/2001", "organization_id": code + []string{"-a", "-b"}[i%2]})
	}
	nominated, _ := admission.Def(admission.Nominated)
	for i := 0; i < 2000; i++ {
		key := prefix + "-qc-" + strconv.Itoa(i)
		s[admission.SheetCandidates] = append(s[admission.SheetCandidates], map[string]string{"key": key, "full_name": "Trần Thị Quần " + strconv.Itoa(i),
			"gender": "Nữ", "birth_date": "20/10/1988", "ethnicity": "Kinh", "education_general": "Trung học phổ thông", "organization_id": code + []string{"-a", "-b"}[i%2]})
		s[admission.SheetSteps] = append(s[admission.SheetSteps], map[string]string{"candidate": key, "kind": nominated.Label, "occurred_on": "05/01/2026",
			"helper_member_id": prefix + "-dv-" + strconv.Itoa(i%2)})
	}
	return s
}

// BenchmarkImport10k measures a 10 002-row workbook: its preview (read,
// every row judged, rolled back) and its import (the same, committed).
//
//	go test -run '^$' -bench BenchmarkImport10k -benchtime 1x ./internal/web
func BenchmarkImport10k(b *testing.B) {
	e := newEnv(b, true)
	admin := e.signedIn("qt-bench", admission.RoleAdmin, "binh-ngoc")
	for _, apply := range []bool{false, true} {
		name := map[bool]string{false: "Preview", true: "Apply"}[apply]
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				data := workbook(b, bigWard(name+strconv.Itoa(i)))
				b.StartTimer()
				_, loc := admin.upload("phuong.xlsx", data, "utf-8")
				p := admin.preview(loc)
				if p.problems != "0" || p.create != "10002" {
					b.Fatalf("create %s, problems %v", p.create, p.rows[:min(3, len(p.rows))])
				}
				if apply {
					if rec := admin.apply(p); rec.Code != http.StatusSeeOther {
						b.Fatalf("apply: %d", rec.Code)
					}
				}
			}
		})
	}
}
