package web_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"ketnap/internal/admission"
	"ketnap/internal/demo"
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
// candidates in one ward of 30 cells, generated (demo.Generate) with their
// steps in every stage.
func BenchmarkCandidateList100k(b *testing.B) {
	e := newEnv(b, true)
	ctx := context.Background()
	if _, err := demo.Generate(ctx, e.db, demo.Scale{Wards: 1, CellsPerWard: 30, Members: 3000, Candidates: 100_000}, today, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := e.db.Pool.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
	ward, err := e.db.OrganizationByCodeOrID(ctx, demo.ScaleCode+"-p1")
	if err != nil {
		b.Fatal(err)
	}
	staff := e.signedIn("canbo-dotai", admission.RoleStaff, ward.Code)
	b.Run("List", func(b *testing.B) { benchGet(b, staff, "/quan-chung") })
	b.Run("SearchRare", func(b *testing.B) { benchGet(b, staff, "/quan-chung?giai-doan=&q=luong+kim+yen") })
	b.Run("Overdue", func(b *testing.B) { benchGet(b, staff, "/quan-chung?han=overdue") })
	b.Run("LastPage", func(b *testing.B) { benchGet(b, staff, "/quan-chung?trang=1500") })
	// page 1 500 as the pages' links reach it: from the row before it (keyset)
	var id int64
	var name string
	if err := e.db.Pool.QueryRow(ctx, `SELECT id, full_name FROM candidates c WHERE c.organization_id IN (SELECT id FROM organizations WHERE path LIKE $1 || '%')
		AND c.stage NOT IN ('official', 'withdrawn', 'removed', 'transferred')
		ORDER BY split_part(c.full_name, ' ', -1) COLLATE vi, c.full_name, c.id OFFSET 1499 * 50 - 1 LIMIT 1`, ward.Path).Scan(&id, &name); err != nil {
		b.Fatal(err)
	}
	after := base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(id, 10) + "\x00" + name))
	b.Run("DeepPageKeyset", func(b *testing.B) { benchGet(b, staff, "/quan-chung?sau="+after) })
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
