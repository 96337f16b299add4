package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/auth"
	"ketnap/internal/demo"
	"ketnap/internal/pgtest"
	"ketnap/internal/postgres"
	"ketnap/internal/web"
	assets "ketnap/web"
)

// Two ketnap instances on one database, behind a reverse proxy that sends
// each request to the next instance: they migrate the empty database
// together, share sessions and login throttling, and a step recorded
// through one shows at once through the other.
func TestTwoInstancesBehindAProxy(t *testing.T) {
	ctx := context.Background()
	dbURL := pgtest.EmptyURL(t)
	var dbs [2]*postgres.DB
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range dbs {
		db, err := postgres.Open(ctx, dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(db.Close)
		dbs[i] = db
		wg.Add(1)
		go func() { // both start at once, as two instances after a deploy
			defer wg.Done()
			m, err := db.NewMigrator(nil)
			if err == nil {
				err = m.Up(ctx)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("migrating together: %v", err)
		}
	}
	svc0 := &admission.Service{DB: dbs[0], Now: func() time.Time { return today }}
	if _, err := demo.Load(ctx, dbs[0], svc0, today, nil); err != nil {
		t.Fatal(err)
	}
	as, err := assets.Load()
	if err != nil {
		t.Fatal(err)
	}
	var backends [2]*httptest.Server
	for i, db := range dbs {
		s := &web.Server{DB: db, Auth: db, Svc: &admission.Service{DB: db, Now: func() time.Time { return today }}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Assets: as, HashParams: cheap, Now: func() time.Time { return time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC) }}
		backends[i] = httptest.NewServer(s.Routes())
		t.Cleanup(backends[i].Close)
	}
	var n atomic.Int64
	served := [2]atomic.Int64{}
	proxy := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		i := n.Add(1) % 2
		served[i].Add(1)
		u, _ := url.Parse(backends[i].URL)
		pr.SetURL(u)
		pr.Out.Host = pr.In.Host // the instances see the address the browser used
	}}
	front := httptest.NewServer(proxy)
	t.Cleanup(front.Close)

	// an account made through the first instance's service
	hash, _ := auth.Hash("mat-khau-hai-may", cheap)
	root, _ := dbs[0].OrganizationByCodeOrID(ctx, demo.RootCode)
	if _, err := svc0.CreateUser(ctx, admission.Actor{Role: admission.RoleAdmin, ScopePath: "/"}, admission.UserInput{Username: "haimay", FullName: "Cán bộ hai máy",
		Role: admission.RoleStaff, ScopeOrgID: root.ID, Active: true, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(path string, form url.Values) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, front.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", front.URL)
		res, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	get := func(path string) (int, string) {
		res, err := cl.Get(front.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	// failed logins count across instances: the throttle is in the database
	for i := 0; i < 6; i++ {
		post("/dang-nhap", url.Values{"username": {"haimay"}, "password": {"sai"}})
	}
	var failures int
	if err := dbs[1].Pool.QueryRow(ctx, `SELECT count(*) FROM audit_events WHERE action = 'login.failure'`).Scan(&failures); err != nil || failures < 3 {
		t.Fatalf("failed logins recorded: %d %v", failures, err)
	}
	if res := post("/dang-nhap", url.Values{"username": {"haimay"}, "password": {"sai"}}); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the seventh failure through either instance: %d", res.StatusCode)
	}
	if _, err := dbs[0].Pool.Exec(ctx, `DELETE FROM login_attempts`); err != nil {
		t.Fatal(err)
	}
	if res := post("/dang-nhap", url.Values{"username": {"haimay"}, "password": {"mat-khau-hai-may"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", res.StatusCode)
	}
	// the session holds on both instances
	for i := 0; i < 4; i++ {
		if code, _ := get("/quan-chung"); code != http.StatusOK {
			t.Fatalf("request %d through the proxy: %d", i, code)
		}
	}
	// a step recorded through one instance shows through the other at once
	var id int64
	if err := dbs[0].Pool.QueryRow(ctx, `SELECT c.id FROM candidates c WHERE c.stage = 'awaiting_decision' ORDER BY c.id LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	res := post(fmt.Sprintf("/quan-chung/%d/buoc", id), url.Values{"kind": {string(admission.Decision)}, "occurred_on": {"18/11/2026"}, "received_on": {"19/11/2026"},
		"document_no": {"777-QĐ/ĐU"}, "issued_by": {"Ban Thường vụ"}, "token": {"hai-may-1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record through the proxy: %d", res.StatusCode)
	}
	if _, body := get(fmt.Sprintf("/quan-chung/%d", id)); !strings.Contains(body, "777-QĐ/ĐU") {
		t.Fatal("the step is not shown through the other instance")
	}
	if served[0].Load() == 0 || served[1].Load() == 0 {
		t.Fatalf("the proxy did not use both instances: %d %d", served[0].Load(), served[1].Load())
	}
}
