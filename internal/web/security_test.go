package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"ketnap/internal/admission"
	"ketnap/internal/postgres"
)

func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.Pool.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

func TestCrossOriginPostRefused(t *testing.T) {
	e := newEnv(t, true)
	pw := e.addUser("quantri", admission.RoleAdmin, "binh-ngoc")
	c := e.client()
	// a forged login from another site
	rec := c.do("POST", "/dang-nhap", url.Values{"username": {"quantri"}, "password": {pw}}, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if rec.Code != http.StatusForbidden || c.cookie != nil {
		t.Fatalf("cross-site login: %d", rec.Code)
	}
	if n := e.count(`SELECT count(*) FROM login_attempts`); n != 0 {
		t.Fatalf("cross-site login reached the handler: %d attempts", n)
	}
	if rec := c.login("quantri", pw); rec.Code != http.StatusSeeOther {
		t.Fatalf("same-origin login: %d", rec.Code)
	}
	users := e.count(`SELECT count(*) FROM users`)
	form := url.Values{"username": {"giaomao"}, "full_name": {"Giả Mạo"}, "role": {"admin"}, "scope_organization_id": {strconv.FormatInt(e.orgID("binh-ngoc"), 10)}}
	for _, h := range [][]string{
		{"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"},
		{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}, // an older browser: Origin only
	} {
		if rec := c.do("POST", "/quan-tri/nguoi-dung", form, h...); rec.Code != http.StatusForbidden {
			t.Fatalf("cross-origin POST %v: %d", h, rec.Code)
		}
	}
	if e.count(`SELECT count(*) FROM users`) != users {
		t.Fatal("a cross-origin POST created a user")
	}
	if rec := c.do("POST", "/quan-tri/nguoi-dung", form); rec.Code != http.StatusOK {
		t.Fatalf("same-origin create: %d", rec.Code)
	}
}

func TestSessionLifecycle(t *testing.T) {
	e := newEnv(t, true)
	pw := e.addUser("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	c := e.client()
	// a session id planted before login is not kept: login issues a new one
	c.cookie = &http.Cookie{Name: "ketnap_session", Value: "planted-by-an-attacker"}
	if rec := c.login("bithu", pw); rec.Code != http.StatusSeeOther {
		t.Fatalf("login %d", rec.Code)
	}
	first := c.cookie.Value
	if first == "planted-by-an-attacker" {
		t.Fatal("session id kept across login")
	}
	if !c.cookie.HttpOnly || c.cookie.SameSite != http.SameSiteLaxMode || c.cookie.Secure {
		t.Fatalf("cookie flags %+v", c.cookie)
	}
	// logging in again changes the id and ends the previous session
	old := *c.cookie
	c.login("bithu", pw)
	if c.cookie.Value == first {
		t.Fatal("session id unchanged at a second login")
	}
	stale := e.client()
	stale.cookie = &old
	if rec := stale.do("GET", "/", nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/dang-nhap") {
		t.Fatalf("old session still works: %d", rec.Code)
	}
	// idle timeout
	e.clock.add(59 * time.Minute)
	if rec := c.do("GET", "/", nil); rec.Code != http.StatusOK {
		t.Fatalf("session ended before the idle timeout: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	e.clock.add(61 * time.Minute)
	if rec := c.do("GET", "/", nil); !strings.HasPrefix(rec.Header().Get("Location"), "/dang-nhap") {
		t.Fatalf("idle session still works: %d", rec.Code)
	}
	// absolute timeout, even with steady use
	c.login("bithu", pw)
	for i := 0; i < 14; i++ {
		e.clock.add(55 * time.Minute)
		c.do("GET", "/", nil)
	}
	if rec := c.do("GET", "/", nil); !strings.HasPrefix(rec.Header().Get("Location"), "/dang-nhap") {
		t.Fatalf("session outlived the absolute timeout: %d", rec.Code)
	}
	// logout ends the session on the server
	c.login("bithu", pw)
	kept := *c.cookie
	if rec := c.do("POST", "/dang-xuat", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("logout %d", rec.Code)
	}
	replay := e.client()
	replay.cookie = &kept
	if rec := replay.do("GET", "/", nil); !strings.HasPrefix(rec.Header().Get("Location"), "/dang-nhap") {
		t.Fatal("a logged-out session still works when replayed")
	}
	if e.count(`SELECT count(*) FROM audit_events WHERE action = 'logout'`) != 1 {
		t.Fatal("logout not audited")
	}
}

func TestDeactivatedUserStopsAtOnce(t *testing.T) {
	e := newEnv(t, true)
	admin := e.signedIn("quantri", admission.RoleAdmin, "binh-ngoc")
	user := e.signedIn("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	if rec := user.do("GET", "/", nil); rec.Code != http.StatusOK {
		t.Fatalf("before: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	u, err := e.db.UserByUsername(context.Background(), "bithu")
	if err != nil {
		t.Fatal(err)
	}
	rec := admin.do("POST", "/quan-tri/nguoi-dung/"+strconv.FormatInt(u.ID, 10), url.Values{
		"full_name": {u.FullName}, "role": {"secretary"}, "scope_organization_id": {strconv.FormatInt(u.ScopeOrgID, 10)}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("deactivate: %d %s", rec.Code, rec.Body.String())
	}
	if rec := user.do("GET", "/", nil); !strings.HasPrefix(rec.Header().Get("Location"), "/dang-nhap") {
		t.Fatalf("deactivated user's session still works: %d", rec.Code)
	}
	if rec := user.login("bithu", "mat-khau-bithu"); rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "Tên đăng nhập hoặc mật khẩu không đúng") {
		t.Fatalf("deactivated user logged in: %d", rec.Code)
	}
}

func TestLoginThrottling(t *testing.T) {
	e := newEnv(t, true)
	pw := e.addUser("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	c := e.client()
	// unknown username and wrong password read the same
	a := c.login("khongco", "sai-mat-khau-1")
	b := c.login("bithu", "sai-mat-khau-1")
	if a.Code != b.Code || doc(t, a).Find("[data-testid=login-error]").Text() != doc(t, b).Find("[data-testid=login-error]").Text() {
		t.Fatalf("unknown user and wrong password differ: %d/%d", a.Code, b.Code)
	}
	// nine more wrong passwords, each after the slowdown wait has passed
	for i := 2; i <= 10; i++ {
		e.clock.add(61 * time.Second)
		if rec := c.login("bithu", fmt.Sprintf("sai-mat-khau-%d", i)); rec.Code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, rec.Code)
		}
	}
	// the 11th, even with the right password, is refused
	e.clock.add(61 * time.Second)
	rec := c.login("bithu", pw)
	if rec.Code != http.StatusTooManyRequests || c.cookie != nil {
		t.Fatalf("11th attempt with the right password: %d", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "bithu không") || !strings.Contains(rec.Body.String(), "tạm khóa") {
		t.Fatalf("lock message: %s", doc(t, rec).Find("[data-testid=login-error]").Text())
	}
	// an unknown username locks the same way, saying the same
	for i := 0; i < 10; i++ {
		e.clock.add(61 * time.Second)
		c.ip = fmt.Sprintf("192.0.2.%d", 50+i) // from several addresses
		c.login("khongco", "x-sai-mat-khau")
	}
	e.clock.add(61 * time.Second)
	if rec := c.login("khongco", "x-sai-mat-khau"); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("unknown username not locked: %d", rec.Code)
	}
	// slowdown: right after a third failure, even the right password must wait
	pw2 := e.addUser("canbo", admission.RoleStaff, "binh-ngoc")
	c.ip = "198.51.100.7"
	for i := 0; i < 3; i++ {
		e.clock.add(10 * time.Second)
		c.login("canbo", "sai-mat-khau-xx")
	}
	if rec := c.login("canbo", pw2); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("no slowdown after three failures: %d", rec.Code)
	}
	e.clock.add(2 * time.Second)
	if rec := c.login("canbo", pw2); rec.Code != http.StatusSeeOther {
		t.Fatalf("after the wait: %d", rec.Code)
	}
	// the lock lifts after the window
	e.clock.add(16 * time.Minute)
	c.ip = "192.0.2.10"
	if rec := c.login("bithu", pw); rec.Code != http.StatusSeeOther {
		t.Fatalf("after the lock window: %d", rec.Code)
	}
	if e.count(`SELECT count(*) FROM audit_events WHERE action = 'login.failure'`) < 20 || e.count(`SELECT count(*) FROM audit_events WHERE action = 'login.success'`) != 2 {
		t.Fatal("logins not audited")
	}
}

func TestClientAddressNotSpoofable(t *testing.T) {
	e := newEnv(t, true)
	pw := e.addUser("bithu", admission.RoleSecretary, "binh-ngoc-khu-1")
	c := e.client()
	c.do("POST", "/dang-nhap", url.Values{"username": {"bithu"}, "password": {pw}}, "X-Forwarded-For", "203.0.113.99", "X-Real-Ip", "203.0.113.98")
	var ip string
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT ip FROM audit_events WHERE action = 'login.success'`).Scan(&ip); err != nil {
		t.Fatal(err)
	}
	if ip != "192.0.2.10" {
		t.Fatalf("audit ip %q: forwarded headers believed without a trusted proxy", ip)
	}
	e.srv.TrustedProxy = "192.0.2.10"
	e.h = e.srv.Routes()
	c.do("POST", "/dang-nhap", url.Values{"username": {"bithu"}, "password": {pw}}, "X-Forwarded-For", "10.9.9.9, 203.0.113.99")
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT ip FROM audit_events WHERE action = 'login.success' ORDER BY id DESC LIMIT 1`).Scan(&ip); err != nil {
		t.Fatal(err)
	}
	if ip != "203.0.113.99" {
		t.Fatalf("behind the trusted proxy, audit ip %q", ip)
	}
}

// The audit row of a change is written in the same transaction as the change.
func TestAuditInSameTransaction(t *testing.T) {
	e := newEnv(t, true)
	admin := e.signedIn("quantri", admission.RoleAdmin, "binh-ngoc")
	form := func(username string) url.Values {
		return url.Values{"username": {username}, "full_name": {"Người Mới"}, "role": {"viewer"},
			"scope_organization_id": {strconv.FormatInt(e.orgID("binh-ngoc-khu-3"), 10)}, "password": {"mot-mat-khau-dai"}}
	}
	if rec := admin.do("POST", "/quan-tri/nguoi-dung", form("nguoimoi")); rec.Code != http.StatusSeeOther {
		t.Fatalf("create: %d", rec.Code)
	}
	audits := e.count(`SELECT count(*) FROM audit_events WHERE action = 'user.create'`)
	// a failed change (duplicate username) leaves no audit row
	if rec := admin.do("POST", "/quan-tri/nguoi-dung", form("nguoimoi")); rec.Code != http.StatusConflict {
		t.Fatalf("duplicate: %d", rec.Code)
	}
	if e.count(`SELECT count(*) FROM audit_events WHERE action = 'user.create'`) != audits {
		t.Fatal("a failed change left an audit row")
	}
	// and the reverse: when the audit row cannot be written, the change is not made
	ctx := context.Background()
	if _, err := e.db.Pool.Exec(ctx, `CREATE FUNCTION refuse_user_audit() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.action = 'user.create' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER refuse_user_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_user_audit();`); err != nil {
		t.Fatal(err)
	}
	users := e.count(`SELECT count(*) FROM users`)
	if rec := admin.do("POST", "/quan-tri/nguoi-dung", form("khongduocghi")); rec.Code != http.StatusInternalServerError {
		t.Fatalf("create with failing audit: %d", rec.Code)
	}
	if e.count(`SELECT count(*) FROM users`) != users {
		t.Fatal("user created without its audit row")
	}
}

func TestAdminPages(t *testing.T) {
	e := newEnv(t, true)
	admin := e.signedIn("quantri", admission.RoleAdmin, "binh-ngoc")
	// create a user with a generated password, shown once
	rec := admin.do("POST", "/quan-tri/nguoi-dung", url.Values{"username": {"bithu.khu3"}, "full_name": {"Đinh Văn Ba"}, "role": {"secretary"},
		"scope_organization_id": {strconv.FormatInt(e.orgID("binh-ngoc-khu-3"), 10)}})
	secret := doc(t, rec).Find("[data-testid=secret]").Text()
	if rec.Code != 200 || len(secret) != 16 {
		t.Fatalf("generated password: %d %q", rec.Code, secret)
	}
	u := e.client()
	if rec := u.login("bithu.khu3", secret); rec.Code != http.StatusSeeOther {
		t.Fatalf("new user cannot log in: %d", rec.Code)
	}
	// validation keeps what was typed
	rec = admin.do("POST", "/quan-tri/nguoi-dung", url.Values{"username": {"Có Dấu"}, "full_name": {"Giữ Lại Tên"}, "role": {"boss"}, "password": {"ngan"}})
	d := doc(t, rec)
	if rec.Code != http.StatusUnprocessableEntity || d.Find("#full_name").AttrOr("value", "") != "Giữ Lại Tên" || d.Find(".field-error").Length() < 3 {
		t.Fatalf("validation: %d %d errors", rec.Code, d.Find(".field-error").Length())
	}
	// reset a password: the old one stops working, the user's sessions end
	nu, _ := e.db.UserByUsername(context.Background(), "bithu.khu3")
	rec = admin.do("POST", "/quan-tri/nguoi-dung/"+strconv.FormatInt(nu.ID, 10)+"/mat-khau", nil)
	fresh := doc(t, rec).Find("[data-testid=secret]").Text()
	if rec.Code != 200 || fresh == secret || len(fresh) != 16 {
		t.Fatalf("reset: %d", rec.Code)
	}
	if rec := u.do("GET", "/", nil); !strings.HasPrefix(rec.Header().Get("Location"), "/dang-nhap") {
		t.Fatal("sessions survive a password reset")
	}
	if rec := u.login("bithu.khu3", secret); rec.Code != http.StatusUnauthorized {
		t.Fatalf("old password still works: %d", rec.Code)
	}
	// an admin cannot lock themself out
	me, _ := e.db.UserByUsername(context.Background(), "quantri")
	rec = admin.do("POST", "/quan-tri/nguoi-dung/"+strconv.FormatInt(me.ID, 10), url.Values{"full_name": {me.FullName}, "role": {"admin"},
		"scope_organization_id": {strconv.FormatInt(me.ScopeOrgID, 10)}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("self-deactivation: %d", rec.Code)
	}
	// organizations: create a cell, rename it, move it under another committee
	ward := e.orgID("binh-ngoc")
	rec = admin.do("POST", "/quan-tri/to-chuc", url.Values{"name": {"Chi bộ khu 7"}, "code": {"binh-ngoc-khu-7"}, "parent_id": {strconv.FormatInt(ward, 10)}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("create cell: %d %s", rec.Code, doc(t, rec).Find(".field-error").Text())
	}
	rec = admin.do("POST", "/quan-tri/to-chuc", url.Values{"name": {"Chi bộ khu 7"}, "code": {"binh-ngoc-khu-7"}, "parent_id": {strconv.FormatInt(ward, 10)}})
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("duplicate cell: %d", rec.Code)
	}
	k7 := e.orgID("binh-ngoc-khu-7")
	rec = admin.do("POST", "/quan-tri/to-chuc/"+strconv.FormatInt(k7, 10), url.Values{"name": {"Chi bộ khu phố 7"}, "parent_id": {strconv.FormatInt(ward, 10)}, "has_youth_union": {"1"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("rename: %d", rec.Code)
	}
	o, _ := e.db.OrganizationByCodeOrID(context.Background(), "binh-ngoc-khu-7")
	if o.Name != "Chi bộ khu phố 7" || o.HasIntermediateCommittee || !o.HasYouthUnion {
		t.Fatalf("after rename %+v", o)
	}
	if e.count(`SELECT count(*) FROM audit_events WHERE action LIKE 'organization.%' AND user_id IS NOT NULL`) != 2 {
		t.Fatal("organization changes not audited")
	}
	// the audit page filters by action and pages
	staff := e.signedIn("canbo", admission.RoleStaff, "binh-ngoc")
	rec, d = staff.get("/nhat-ky?action=login.success")
	if rec.Code != 200 || d.Find("[data-testid=audit-row]").Length() == 0 {
		t.Fatalf("audit page: %d", rec.Code)
	}
	d.Find("[data-testid=audit-row]").Each(func(_ int, s *goquery.Selection) {
		if !strings.HasSuffix(strings.TrimSpace(s.Find("[data-testid=audit-sentence]").Text()), "đăng nhập") {
			t.Errorf("filter let through %q", s.Text())
		}
	})
	// each action is a sentence in Vietnamese naming the person, and the page filters by name
	var name string
	if err := e.db.Pool.QueryRow(context.Background(), `SELECT full_name FROM candidates ORDER BY id LIMIT 1`).Scan(&name); err != nil {
		t.Fatal(err)
	}
	_, d = staff.get("/nhat-ky?action=step.record&ten=" + url.QueryEscape(admission.SearchKey(name)))
	if d.Find("[data-testid=audit-row]").Length() == 0 {
		t.Fatalf("no step recorded for %s found by name", name)
	}
	d.Find("[data-testid=audit-sentence]").Each(func(_ int, s *goquery.Selection) {
		if !strings.Contains(s.Text(), name) {
			t.Errorf("name filter let through %q", s.Text())
		}
	})
	_, d = staff.get("/nhat-ky?action=step.record")
	if got := d.Find("[data-testid=audit-sentence]").First().Text(); !strings.Contains(got, " ghi “") || !strings.Contains(got, "” cho ") || strings.Contains(got, "#") {
		t.Errorf("step sentence %q", got)
	}
	if rec, d := staff.get("/nhat-ky?from=31/02/2026"); rec.Code != 200 || !strings.Contains(d.Find(".alert").Text(), "không hợp lệ") {
		t.Fatalf("bad date filter: %d", rec.Code)
	}
	// archived months are named, not silently missing
	if _, d := staff.get("/nhat-ky"); strings.Contains(d.Find("[data-testid=audit-chain]").Text(), "lưu trữ") {
		t.Fatal("archives named before any month was archived")
	}
	for _, m := range []string{"2019-01-01", "2019-02-01"} {
		if _, err := e.db.Pool.Exec(context.Background(), `INSERT INTO audit_archives (month, events, first_prev_hash, last_hash, file_name, file_sha256)
			VALUES ($1, 600, '\x', '\x', 'audit.csv', '')`, m); err != nil {
			t.Fatal(err)
		}
	}
	if _, d := staff.get("/nhat-ky"); !strings.Contains(d.Find("[data-testid=audit-chain]").Text(), "Nhật ký từ 01/2019 đến 02/2019 (1200 sự kiện) đã được lưu trữ ra tệp") {
		t.Fatalf("archives: %q", d.Find("[data-testid=audit-chain]").Text())
	}
	rec, d = staff.get("/nhat-ky?action=step.record")
	total, _ := strconv.Atoi(strings.Fields(d.Find("[data-testid=audit-total]").Text())[0])
	if total <= 50 || d.Find("[data-testid=audit-row]").Length() != 50 || d.Find("a[rel=next]").Length() != 1 {
		t.Fatalf("paging: total %d, %d rows", total, d.Find("[data-testid=audit-row]").Length())
	}
	// a secretary reads no audit trail
	if rec, _ := u.get("/nhat-ky"); rec.Code != http.StatusSeeOther && rec.Code != http.StatusForbidden {
		t.Fatalf("secretary audit: %d", rec.Code)
	}
}

// route access levels of the authorization matrix
type access int

const (
	public access = iota
	anyUser
	writer // admin, staff, secretary
	staffUp
	auditors // staff, admins and viewers
	adminOnly
)

// what a route's {id} names, for in-scope and out-of-scope requests
type target string

const (
	none      target = ""
	org       target = "org"
	candidate target = "candidate"
	user      target = "user"
	member    target = "member"
)

// matrix lists every route of the router. A route missing here fails the test.
var matrix = map[string]struct {
	access access
	target target
}{
	"GET /healthz":               {public, none},
	"GET /static/{name}":         {public, none},
	"GET /dang-nhap":             {public, none},
	"POST /dang-nhap":            {public, none},
	"GET /mat-khau":              {anyUser, none},
	"POST /mat-khau":             {anyUser, none},
	"POST /dang-xuat":            {anyUser, none},
	"GET /":                      {anyUser, none},
	"GET /to-chuc":               {anyUser, none},
	"GET /quan-chung":            {anyUser, none},
	"GET /bao-cao":               {anyUser, none}, // the organization in the query: TestReportScopeAndBadInput
	"GET /viec-can-lam":          {anyUser, none},
	"GET /bao-cao/in":            {anyUser, none},
	"GET /bao-cao/tai-ve":        {anyUser, none},
	"GET /bao-cao/danh-sach":     {anyUser, none},
	"GET /quan-chung/moi":        {writer, none},
	"POST /quan-chung":           {writer, none},
	"POST /quan-chung/{id}/buoc": {writer, candidate},
	"GET /quan-chung/{id}/buoc/{step}/dieu-chinh":  {staffUp, candidate},
	"POST /quan-chung/{id}/buoc/{step}/dieu-chinh": {staffUp, candidate},
	"GET /to-chuc/{id}/dang-vien/moi":              {writer, org},
	"POST /to-chuc/{id}/dang-vien":                 {writer, org},
	"GET /dang-vien/{id}":                          {writer, member},
	"POST /dang-vien/{id}":                         {writer, member},
	"GET /quan-chung/{id}/ho-so":                   {writer, candidate},
	"POST /quan-chung/{id}/ho-so":                  {writer, candidate},
	"POST /quan-chung/{id}/chuyen-chi-bo":          {staffUp, candidate},
	"GET /quy-tac":                                 {staffUp, none},
	"GET /quy-tac/moi":                             {staffUp, none},
	"POST /quy-tac":                                {staffUp, none},
	"POST /dang-vien/{id}/bien-dong":               {staffUp, member},
	"GET /quan-tri/ngay-nghi":                      {adminOnly, none},
	"POST /quan-tri/ngay-nghi":                     {adminOnly, none},
	"POST /quan-tri/ngay-nghi/xoa":                 {adminOnly, none},
	"GET /chi-tieu":                                {anyUser, none},
	"POST /chi-tieu":                               {staffUp, none},
	"GET /to-chuc/{id}":                            {anyUser, org},
	"GET /quan-chung/{id}":                         {anyUser, candidate},
	"GET /quan-chung/{id}/giay-to/{mau}":           {anyUser, candidate},
	"GET /nhap-du-lieu":                            {writer, none},
	"POST /nhap-du-lieu":                           {writer, none},
	"POST /nhap-du-lieu/xac-nhan":                  {writer, none},
	"GET /nhap-du-lieu/mau":                        {writer, none},
	"GET /nhap-du-lieu/xuat":                       {writer, none},
	"GET /quan-chung/hang-loat":                    {writer, none},
	"POST /quan-chung/hang-loat":                   {writer, none},
	"GET /nhat-ky":                                 {auditors, none},
	"GET /danh-muc":                                {staffUp, none},
	"POST /quan-tri/danh-muc":                      {adminOnly, none},
	"GET /quan-tri/nguoi-dung":                     {adminOnly, none},
	"GET /quan-tri/nguoi-dung/moi":                 {adminOnly, none},
	"POST /quan-tri/nguoi-dung":                    {adminOnly, none},
	"GET /quan-tri/nguoi-dung/{id}":                {adminOnly, user},
	"POST /quan-tri/nguoi-dung/{id}":               {adminOnly, user},
	"POST /quan-tri/nguoi-dung/{id}/mat-khau":      {adminOnly, user},
	"GET /quan-tri/to-chuc":                        {adminOnly, none},
	"POST /quan-tri/to-chuc":                       {adminOnly, none},
	"POST /quan-tri/to-chuc/{id}":                  {adminOnly, org},
}

func TestAuthorizationMatrix(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	st := e.db.Store()
	// a second ward, outside every scope of the first
	other, _, err := st.UpsertOrganization(ctx, admission.OrgInput{Kind: admission.KindCommittee, Name: "Đảng bộ phường Khác", Code: "khac"})
	if err != nil {
		t.Fatal(err)
	}
	otherCell, _, err := st.UpsertOrganization(ctx, admission.OrgInput{ParentID: other.ID, Kind: admission.KindCell, Name: "Chi bộ khác", Code: "khac-1"})
	if err != nil {
		t.Fatal(err)
	}
	otherCand, err := e.srv.Svc.AddCandidate(ctx, admission.Actor{Role: admission.RoleAdmin, ScopePath: other.Path}, admission.CandidateInput{
		OrganizationID: otherCell.ID, FullName: "Ngoài Phạm Vi", Gender: admission.Male, BirthDate: admission.Day(1990, 1, 1), EducationGeneral: admission.EduUpperSecondary})
	if err != nil {
		t.Fatal(err)
	}
	e.addUser("nguoi.khac", admission.RoleViewer, "khac-1")
	e.addUser("nguoi.khu1", admission.RoleViewer, "binh-ngoc-khu-1")
	otherMember, err := st.UpsertMember(ctx, postgres.MemberInput{OrganizationID: otherCell.ID, FullName: "Đảng Viên Khác", Gender: admission.Male,
		BirthDate: admission.Day(1970, 1, 1), Status: admission.MemberOfficial, AdmittedOn: admission.Day(2000, 1, 1), OfficialOn: admission.Day(2001, 1, 1), ExternalKey: "khac-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.Svc.RecordStep(ctx, admission.Actor{Role: admission.RoleAdmin, ScopePath: other.Path}, otherCand.ID,
		admission.StepInput{Kind: admission.Nominated, OccurredOn: admission.Day(2026, 1, 5), HelperMemberID: otherMember}); err != nil {
		t.Fatal(err)
	}
	memberIn := func(code string) int64 {
		var id int64
		if err := e.db.Pool.QueryRow(ctx, `SELECT m.id FROM members m JOIN organizations o ON o.id = m.organization_id WHERE o.code = $1 ORDER BY m.id LIMIT 1`, code).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	candIn := func(code string) int64 {
		var id int64
		if err := e.db.Pool.QueryRow(ctx, `SELECT c.id FROM candidates c JOIN organizations o ON o.id = c.organization_id WHERE o.code = $1 ORDER BY c.id LIMIT 1`, code).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	userID := func(name string) int64 {
		u, err := e.db.UserByUsername(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	ids := map[target]map[bool]map[admission.Role]int64{ // target → in scope? → role → id
		org:       {true: {"": e.orgID("binh-ngoc-khu-1")}, false: {"": otherCell.ID, admission.RoleSecretary: e.orgID("binh-ngoc-khu-2")}},
		candidate: {true: {"": candIn("binh-ngoc-khu-1")}, false: {"": otherCand.ID, admission.RoleSecretary: candIn("binh-ngoc-khu-2")}},
		user:      {true: {"": userID("nguoi.khu1")}, false: {"": userID("nguoi.khac")}},
		member:    {true: {"": memberIn("binh-ngoc-khu-1")}, false: {"": otherMember, admission.RoleSecretary: memberIn("binh-ngoc-khu-2")}},
	}
	stepOf := func(candidateID int64) int64 {
		var id int64
		if err := e.db.Pool.QueryRow(ctx, `SELECT id FROM steps WHERE candidate_id = $1 ORDER BY seq DESC LIMIT 1`, candidateID).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	idFor := func(tg target, in bool, role admission.Role) int64 {
		if id, ok := ids[tg][in][role]; ok {
			return id
		}
		return ids[tg][in][""]
	}
	scopes := map[admission.Role]string{admission.RoleViewer: "binh-ngoc", admission.RoleSecretary: "binh-ngoc-khu-1", admission.RoleStaff: "binh-ngoc", admission.RoleAdmin: "binh-ngoc"}
	passwords := map[admission.Role]string{}
	for role, scope := range scopes {
		passwords[role] = e.addUser("matran."+string(role), role, scope)
	}
	allowed := func(a access, role admission.Role) bool {
		switch a {
		case public:
			return true
		case anyUser:
			return role != ""
		case writer:
			return role != "" && role != admission.RoleViewer
		case staffUp:
			return role == admission.RoleStaff || role == admission.RoleAdmin
		case auditors:
			return role == admission.RoleStaff || role == admission.RoleAdmin || role == admission.RoleViewer
		}
		return role == admission.RoleAdmin
	}
	cssURL := e.srv.Assets.URL("app.css")

	router, ok := e.h.(chi.Routes)
	if !ok {
		t.Fatal("the handler is not a chi router")
	}
	seen := map[string]bool{}
	err = chi.Walk(router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		key := method + " " + strings.TrimSuffix(route, "/")
		if route == "/" {
			key = method + " /"
		}
		seen[key] = true
		want, ok := matrix[key]
		if !ok {
			t.Errorf("route %s is missing from the authorization matrix", key)
			return nil
		}
		for _, role := range []admission.Role{"", admission.RoleViewer, admission.RoleSecretary, admission.RoleStaff, admission.RoleAdmin} {
			for _, inScope := range []bool{true, false} {
				if want.target == none && !inScope {
					continue
				}
				path := strings.TrimSuffix(route, "/")
				if route == "/" {
					path = "/"
				}
				if want.target != none {
					id := idFor(want.target, inScope, role)
					path = strings.Replace(path, "{id}", strconv.FormatInt(id, 10), 1)
					if strings.Contains(path, "{step}") {
						path = strings.Replace(path, "{step}", strconv.FormatInt(stepOf(id), 10), 1)
					}
				}
				path = strings.Replace(path, "{name}", strings.TrimPrefix(cssURL, "/static/"), 1)
				path = strings.Replace(path, "{mau}", "6-knd", 1)
				c := e.client()
				c.ip = "198.18.0.1"
				if role != "" {
					if rec := c.login("matran."+string(role), passwords[role]); rec.Code != http.StatusSeeOther {
						t.Fatalf("login %s: %d", role, rec.Code)
					}
				}
				var form url.Values
				if method == http.MethodPost {
					form = url.Values{}
				}
				rec := c.do(method, path, form)
				loc := rec.Header().Get("Location")
				toLogin := rec.Code == http.StatusSeeOther && (loc == "/dang-nhap" || strings.HasPrefix(loc, "/dang-nhap?next="))
				name := fmt.Sprintf("%s as %q in scope=%v", key, role, inScope)
				switch {
				case !allowed(want.access, role) && role == "":
					if !toLogin {
						t.Errorf("%s: %d %s, want a redirect to the login page", name, rec.Code, loc)
					}
				case !allowed(want.access, role):
					if rec.Code != http.StatusForbidden {
						t.Errorf("%s: %d, want 403", name, rec.Code)
					}
				case !inScope:
					if rec.Code != http.StatusNotFound {
						t.Errorf("%s: %d, want 404 (out of scope answers like a missing record)", name, rec.Code)
					}
				default:
					if rec.Code >= 400 && rec.Code != http.StatusUnprocessableEntity || toLogin {
						t.Errorf("%s: %d %s, want success or a validation answer", name, rec.Code, loc)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for key := range matrix {
		if !seen[key] {
			t.Errorf("matrix lists %s, which the router does not have", key)
		}
	}
}

func TestChangeOwnPassword(t *testing.T) {
	e := newEnv(t, true)
	admin := e.signedIn("quantri", admission.RoleAdmin, "binh-ngoc")
	rec := admin.do("POST", "/quan-tri/nguoi-dung", url.Values{"username": {"moi"}, "full_name": {"Người Mới"}, "role": {"viewer"},
		"scope_organization_id": {strconv.FormatInt(e.orgID("binh-ngoc"), 10)}})
	handed := doc(t, rec).Find("[data-testid=secret]").Text()
	u := e.client()
	if rec := u.login("moi", handed); rec.Code != http.StatusSeeOther {
		t.Fatalf("login: %d", rec.Code)
	}
	// a handed-out password must be changed first
	if rec := u.do("GET", "/quan-chung", nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/mat-khau" {
		t.Fatalf("before changing: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	other := e.client()
	other.ip = "192.0.2.77"
	other.login("moi", handed)
	rec = u.do("POST", "/mat-khau", url.Values{"current": {"sai-mat-khau-hien-tai"}, "new": {"mat-khau-moi-cua-toi"}, "again": {"mat-khau-moi-cua-toi"}})
	if rec.Code != http.StatusUnprocessableEntity || doc(t, rec).Find("#current-error").Text() == "" {
		t.Fatalf("wrong current password: %d", rec.Code)
	}
	rec = u.do("POST", "/mat-khau", url.Values{"current": {handed}, "new": {"ngan"}, "again": {"khac"}})
	if d := doc(t, rec); rec.Code != http.StatusUnprocessableEntity || d.Find("#new-error").Text() == "" || d.Find("#again-error").Text() == "" {
		t.Fatalf("weak or mismatched password: %d", rec.Code)
	}
	e.clock.add(2 * time.Minute) // past the slowdown of the failures above
	rec = u.do("POST", "/mat-khau", url.Values{"current": {handed}, "new": {"mat-khau-moi-cua-toi"}, "again": {"mat-khau-moi-cua-toi"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("change: %d %s", rec.Code, doc(t, rec).Find(".field-error").Text())
	}
	if rec := u.do("GET", "/quan-chung", nil); rec.Code != http.StatusOK {
		t.Fatalf("after changing: %d", rec.Code)
	}
	if rec := other.do("GET", "/", nil); !strings.HasPrefix(rec.Header().Get("Location"), "/dang-nhap") {
		t.Fatal("the other session survived the password change")
	}
	if rec := e.client().login("moi", handed); rec.Code != http.StatusUnauthorized {
		t.Fatalf("old password: %d", rec.Code)
	}
	if e.count(`SELECT count(*) FROM audit_events WHERE action = 'user.password_change'`) != 1 {
		t.Fatal("password change not audited")
	}
}
