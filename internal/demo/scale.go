package demo

import (
	"context"
	"fmt"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/postgres"
)

// Scale is the size of a generated province, for measuring ketnap at the
// size it is meant for.
type Scale struct {
	Name                string
	Wards, CellsPerWard int
	Members, Candidates int
}

// Scales are the sizes `ketnap demo --scale` knows: one ward of 30 cells;
// a province of 300 wards at a tenth of the country's admissions; and the
// country's (1 province, 300 wards, 9 000 cells, 1 000 000 candidates over
// the years, about 9.5 million steps, 1 000 000 members).
var Scales = map[string]Scale{
	"ward":     {Name: "ward", Wards: 1, CellsPerWard: 30, Members: 3300, Candidates: 3300},
	"province": {Name: "province", Wards: 300, CellsPerWard: 30, Members: 100_000, Candidates: 100_000},
	"national": {Name: "national", Wards: 300, CellsPerWard: 30, Members: 1_000_000, Candidates: 1_000_000},
}

// ScaleCode is the code of a generated province; its first ward is
// ScaleCode+"-p1" and that ward's first cell ScaleCode+"-p1-1".
const ScaleCode = "tinh-do-tai"

// scaleNames are every full name the demo's name lists make, men at even
// indexes and women at odd ones, and their search keys.
func scaleNames() (names, keys []string) {
	for _, f := range familyNames {
		for i := range max(len(maleMiddle), len(femaleMid)) {
			for j := range max(len(maleGiven), len(femaleGiven)) {
				m := f + " " + maleMiddle[i%len(maleMiddle)] + " " + maleGiven[j%len(maleGiven)]
				w := f + " " + femaleMid[i%len(femaleMid)] + " " + femaleGiven[j%len(femaleGiven)]
				names = append(names, m, w)
				keys = append(keys, admission.SearchKey(m), admission.SearchKey(w))
			}
		}
	}
	return names, keys
}

// Generate writes a province of the given scale, set-based; progress, when
// set, is told as each part begins ("" at the end).
func Generate(ctx context.Context, db *postgres.DB, sc Scale, today time.Time, progress func(part string)) (postgres.GenResult, error) {
	names, keys := scaleNames()
	return db.Generate(ctx, postgres.GenSpec{Code: ScaleCode, Name: "Đảng bộ tỉnh Đo Tải", Wards: sc.Wards, CellsPerWard: sc.CellsPerWard,
		Members: sc.Members, Candidates: sc.Candidates, Today: today, Names: names, Keys: keys, Progress: progress})
}

// ScaleUser is an account of a generated province, in the scope its code names.
type ScaleUser struct {
	Username, Name string
	Role           admission.Role
	ScopeCode      string
}

// ScaleUsers are the accounts a load test signs in with: the province's
// staff, the first ward's staff, the secretary of that ward's first cell,
// and the province's data entry, who records the load's steps.
func ScaleUsers() []ScaleUser {
	return []ScaleUser{
		{"tinh.vanphong", "Cán bộ Văn phòng Tỉnh ủy", admission.RoleStaff, ScaleCode},
		{"phuong1.vanphong", "Cán bộ Văn phòng Đảng ủy phường 1", admission.RoleStaff, ScaleCode + "-p1"},
		{"phuong1.bithu1", "Bí thư Chi bộ khu phố 1", admission.RoleSecretary, ScaleCode + "-p1-1"},
		// the load's step writes: its thousands of events a minute are others' changes to the readers above
		{"tinh.nhaplieu", "Cán bộ nhập liệu Văn phòng Tỉnh ủy", admission.RoleStaff, ScaleCode},
	}
}

// Describe says what a generation wrote.
func Describe(r postgres.GenResult) string {
	return fmt.Sprintf("%d tổ chức, %d đảng viên, %d quần chúng, %d bước, %d sự kiện nhật ký", r.Organizations, r.Members, r.Candidates, r.Steps, r.AuditEvents)
}
