package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"ketnap/internal/admission"
	"ketnap/internal/auth"
	"ketnap/internal/demo"
	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
	"ketnap/internal/web"
	assets "ketnap/web"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var today = admission.Day(2026, 11, 20)

var cheap = auth.Params{Time: 1, MemoryKiB: 8 * 1024, Threads: 1, KeyLen: 32}

// clock is a settable "now" for the server.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type env struct {
	t     testing.TB
	srv   *web.Server
	h     http.Handler
	db    *postgres.DB
	clock *clock
}

func newServer(t *testing.T, withDemo bool) (*web.Server, *postgres.DB) {
	e := newEnv(t, withDemo)
	return e.srv, e.db
}

func newEnv(t testing.TB, withDemo bool) *env {
	t.Helper()
	db := pgtest.DB(t)
	svc := &admission.Service{DB: db, Now: func() time.Time { return today }}
	if withDemo {
		if _, err := demo.Load(context.Background(), db, svc, today, nil); err != nil {
			t.Fatal(err)
		}
	}
	as, err := assets.Load()
	if err != nil {
		t.Fatal(err)
	}
	return newEnvWith(t, db, svc, as)
}

// newEnvWith serves a database already prepared.
func newEnvWith(t testing.TB, db *postgres.DB, svc *admission.Service, as *assets.Assets) *env {
	clk := &clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	s := &web.Server{DB: db, Auth: db, Svc: svc, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Assets: as, HashParams: cheap, Now: clk.now}
	return &env{t: t, srv: s, h: s.Routes(), db: db, clock: clk}
}

// orgID returns the id of an organization by code.
func (e *env) orgID(code string) int64 {
	e.t.Helper()
	o, err := e.db.OrganizationByCodeOrID(context.Background(), code)
	if err != nil {
		e.t.Fatalf("organization %s: %v", code, err)
	}
	return o.ID
}

// addUser creates a user scoped to the organization with the given code and returns its password.
func (e *env) addUser(username string, role admission.Role, scopeCode string) string {
	e.t.Helper()
	ctx := context.Background()
	pw := "mat-khau-" + username
	hash, err := auth.Hash(pw, cheap)
	if err != nil {
		e.t.Fatal(err)
	}
	allRoots := admission.Actor{Role: admission.RoleAdmin, ScopePath: "/"} // every tree
	if _, err := e.srv.Svc.CreateUser(ctx, allRoots, admission.UserInput{Username: username, FullName: "Người " + username, Role: role,
		ScopeOrgID: e.orgID(scopeCode), Active: true, PasswordHash: hash}); err != nil {
		e.t.Fatal(err)
	}
	return pw
}

// client is a browser: it keeps the session cookie and sends same-origin headers.
type client struct {
	e      *env
	cookie *http.Cookie
	ip     string
}

func (e *env) client() *client { return &client{e: e, ip: "192.0.2.10"} }

func (c *client) do(method, path string, form url.Values, headers ...string) *httptest.ResponseRecorder {
	c.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = c.ip + ":40000"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if method == http.MethodPost {
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("Origin", "http://example.com")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	if c.cookie != nil {
		req.AddCookie(c.cookie)
	}
	rec := httptest.NewRecorder()
	c.e.h.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.Name == "ketnap_session" {
			if ck.MaxAge < 0 {
				c.cookie = nil
			} else {
				c.cookie = ck
			}
		}
	}
	return rec
}

func (c *client) get(path string) (*httptest.ResponseRecorder, *goquery.Document) {
	c.e.t.Helper()
	rec := c.do(http.MethodGet, path, nil)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		c.e.t.Fatal(err)
	}
	return rec, doc
}

func (c *client) login(username, password string) *httptest.ResponseRecorder {
	c.e.t.Helper()
	return c.do(http.MethodPost, "/dang-nhap", url.Values{"username": {username}, "password": {password}})
}

// signedIn returns a client logged in as a new user of the given role and scope.
func (e *env) signedIn(username string, role admission.Role, scopeCode string) *client {
	e.t.Helper()
	pw := e.addUser(username, role, scopeCode)
	c := e.client()
	if rec := c.login(username, pw); rec.Code != http.StatusSeeOther || c.cookie == nil {
		e.t.Fatalf("login %s: %d %s", username, rec.Code, rec.Body.String())
	}
	return c
}

func doc(t *testing.T, rec *httptest.ResponseRecorder) *goquery.Document {
	d, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// pgURL is a database on the same cluster, for administrative statements.
func pgURL(t testing.TB) string { return pgtest.URL(t) }
