package web_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"ketnap/internal/admission"
)

// TestFuzzPostRoutes posts random and mutated forms to every POST route of
// the router, as every role, and asserts that none answers 5xx. (The
// sign-out route is left for last: it ends the session.)
func TestFuzzPostRoutes(t *testing.T) {
	e := newEnv(t, true)
	n := 10_000
	if testing.Short() {
		n = 1_500
	}
	var routes []string
	_ = chi.Walk(e.h.(chi.Routes), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodPost && route != "/dang-xuat" && route != "/dang-nhap" {
			routes = append(routes, route)
		}
		return nil
	})
	ctx := context.Background()
	one := func(q string) string {
		var id int64
		_ = e.db.Pool.QueryRow(ctx, q).Scan(&id)
		return strconv.FormatInt(id, 10)
	}
	ids := []string{one(`SELECT min(id) FROM candidates`), one(`SELECT max(id) FROM candidates`), one(`SELECT min(id) FROM members`),
		one(`SELECT min(id) FROM organizations`), one(`SELECT max(id) FROM organizations`), "0", "-1", "99999999999999999999", "2147483648", "abc"}
	steps := []string{one(`SELECT min(id) FROM steps`), one(`SELECT max(id) FROM steps`), "0", "9223372036854775807"}
	fields := []string{"kind", "occurred_on", "document_no", "issued_by", "received_on", "votes_eligible", "votes_yes", "votes_against", "votes_present",
		"outcome", "route", "helper_member_id", "approval_ref", "note", "sponsor1_id", "sponsor1_since", "sponsor1_relation", "sponsor2_id",
		"full_name", "gender", "birth_date", "ethnicity", "religion", "education_general", "education_professional", "political_theory", "occupation",
		"organization_id", "admitted_on", "ceremony_on", "official_on", "status", "reason", "to", "version", "token", "correction_reason",
		"username", "role", "scope_organization_id", "password", "active", "name", "code", "parent_id", "day", "nam", "label", "common",
		"current", "new", "again", "confirm_distinct", "youth_union", "readmission", "t_1", "t_2", "params", "effective_from", "preview"}
	values := []string{"", "0", "1", "-1", "2", "9999999999999999999999", "2147483648", "abc", "01/01/2026", "31/02/2026", "10.01.1990", "20/11/2026",
		"Nguyễn Văn Bình", "male", "female", "upper_secondary", "primary", "passed", "failed", "two_sponsors", "youth_union", "Kinh", "Không",
		"cell_resolution", "verification", "decision", "ceremony", "withdrawn", "recognition_resolution", "official", "working_elsewhere",
		"secretary", "staff", "admin", "viewer", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", strings.Repeat("x", 3000),
		"\u200b", "\u202e", "đ", "1e9", "0x10", " ", "\t", "%00"}
	roles := []admission.Role{admission.RoleAdmin, admission.RoleStaff, admission.RoleSecretary, admission.RoleViewer}
	clients := map[admission.Role]*client{}
	for _, r := range roles {
		scope := "binh-ngoc"
		if r == admission.RoleSecretary {
			scope = "binh-ngoc-khu-1"
		}
		clients[r] = e.signedIn("fuzz."+string(r), r, scope)
	}
	rng := rand.New(rand.NewPCG(11, 29))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	fivexx, refusedWrites := 0, 0
	// a refused sign-in or password change is recorded on purpose; every other write has its audit row
	audits := e.count(`SELECT count(*) FROM audit_events WHERE action NOT LIKE 'login.%'`)
	for i := 0; i < n; i++ {
		route := pick(routes)
		path := strings.Replace(route, "{id}", pick(ids), 1)
		path = strings.Replace(path, "{step}", pick(steps), 1)
		form := url.Values{}
		for k := rng.IntN(8); k >= 0; k-- {
			form.Add(pick(fields), pick(values))
		}
		if rng.IntN(10) == 0 {
			form.Add(pick(values), pick(values)) // a random key
		}
		c := clients[roles[rng.IntN(len(roles))]]
		rec := c.do("POST", path, form)
		if rec.Code >= 500 {
			fivexx++
			if fivexx <= 5 {
				t.Errorf("POST %s %v: %d", path, form, rec.Code)
			}
		}
		// every write has its audit row: a refused form wrote nothing
		now := e.count(`SELECT count(*) FROM audit_events WHERE action NOT LIKE 'login.%'`)
		if rec.Code >= 400 && now != audits {
			refusedWrites++
			if refusedWrites <= 5 {
				t.Errorf("POST %s %v answered %d but wrote %d audit rows", path, form, rec.Code, now-audits)
			}
		}
		audits = now
	}
	t.Logf("%d requests over %d POST routes as %d roles: %d × 5xx, %d refused forms that wrote", n, len(routes), len(roles), fivexx, refusedWrites)
	if fivexx > 0 {
		t.Fatalf("%d answers were 5xx", fivexx)
	}
}
