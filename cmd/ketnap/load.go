package main

import (
	"context"
	"database/sql/driver"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/admission"
	"ketnap/internal/auth"
	"ketnap/internal/demo"
	"ketnap/internal/devdb"
	"ketnap/internal/postgres"
	"ketnap/internal/web"
	assets "ketnap/web"
)

// loadCommand is `ketnap load`: on a province made by `ketnap demo
// --scale`, it serves ketnap in this process on 127.0.0.1 only, signs in as
// the province's staff, a ward's staff and a cell's secretary, drives each
// page with many clients for a while, and prints per page the requests per
// second, p50/p95/p99, the bytes on the wire — and the same page's SQL run
// by pgbench with the same values, side by side, with the ratio. It records
// steps too. It stops by itself.
func loadCommand(ctx context.Context, c *config, log *slog.Logger, o loadOptions, w io.Writer) error {
	clients, dur, only := &o.clients, &o.duration, &o.pages
	db, err := openDatabase(ctx, c, log, false)
	if err != nil {
		return err
	}
	defer db.release()
	bin, err := devdb.FindBinDir()
	if err != nil {
		return fmt.Errorf("cần pgbench của PostgreSQL trên máy: %w", err)
	}
	sample, err := db.DB.LoadSample(ctx, demo.ScaleCode, 50000)
	if err != nil {
		return fmt.Errorf("chưa có dữ liệu đo tải: chạy `ketnap demo --scale ward|province|national` trước (%w)", err)
	}
	// the server under test, with a tracer that records each page's SQL
	rec := &recorder{}
	traced, err := postgres.OpenTraced(ctx, db.url, rec)
	if err != nil {
		return err
	}
	defer traced.Close()
	as, err := assets.Load()
	if err != nil {
		return err
	}
	svc := &admission.Service{DB: traced, Now: admission.SystemClock}
	srv := &web.Server{DB: traced, Auth: traced, Svc: svc, Now: admission.SystemClock, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Assets: as}
	handler := srv.Routes()
	mctx, stop := context.WithCancel(ctx) // ends before the pool closes
	defer stop()
	go traced.Maintain(mctx, 30*time.Second, admission.SystemClock, slog.Default())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Ketnap-Trace") == "1" {
			r = r.WithContext(context.WithValue(r.Context(), traceKey{}, &queries{}))
			defer func() { rec.last.Store(r.Context().Value(traceKey{}).(*queries)) }()
		}
		handler.ServeHTTP(rw, r)
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	defer hs.Close()
	base := "http://" + ln.Addr().String()

	// fresh passwords for the load's accounts, set as each account's own change (audited)
	users, scopes := map[string]*http.Client{}, map[string]string{}
	for _, u := range demo.ScaleUsers() {
		pw := auth.RandomPassword()
		hash, err := auth.Hash(pw, auth.DefaultParams)
		if err != nil {
			return err
		}
		usr, err := traced.UserByUsername(ctx, u.Username)
		if errors.Is(err, admission.ErrNotFound) { // data generated before the account was one of the load's
			if err = createScaleUser(ctx, traced, svc, u, hash); err == nil {
				usr, err = traced.UserByUsername(ctx, u.Username)
			}
		}
		if err != nil {
			return fmt.Errorf("tài khoản %s: %w", u.Username, err)
		}
		self := admission.Actor{UserID: usr.ID, Username: usr.Username, FullName: usr.FullName, Role: usr.Role, ScopeOrgID: usr.ScopeOrgID, ScopePath: usr.ScopePath}
		if err := svc.ChangeOwnPassword(ctx, self, hash, nil); err != nil {
			return err
		}
		cl, err := login(base, u.Username, pw, *clients)
		if err != nil {
			return err
		}
		users[u.Username], scopes[u.Username] = cl, usr.ScopePath
	}
	ward, prov, sec, writer := users["phuong1.vanphong"], users["tinh.vanphong"], users["phuong1.bithu1"], users["tinh.nhaplieu"]
	deep := max(1, sample.WardCandidates/50/2)
	// the province list's page 2 000 (or its last, on a smaller province),
	// reached as a user reaches it: by the link after the page before
	provDeep, provAfter, err := deepPage(ctx, traced, scopes["tinh.vanphong"], 2000)
	if err != nil {
		return err
	}
	pages := []page{
		{"Danh sách — phường, trang 1", ward, "/quan-chung"},
		{"Danh sách — phường, tìm không dấu", ward, "/quan-chung?giai-doan=&q=" + url.QueryEscape(sample.Common)},
		{"Danh sách — phường, tên hiếm", ward, "/quan-chung?giai-doan=&q=" + url.QueryEscape(sample.Rare)},
		{"Danh sách — phường, quá hạn", ward, "/quan-chung?han=overdue"},
		{fmt.Sprintf("Danh sách — phường, trang %d", deep), ward, "/quan-chung?trang=" + strconv.Itoa(deep)},
		{"Danh sách — tỉnh, trang 1", prov, "/quan-chung"},
		{fmt.Sprintf("Danh sách — tỉnh, trang %d (theo liên kết)", provDeep), prov, "/quan-chung?sau=" + url.QueryEscape(provAfter)},
		{"Danh sách — tỉnh, tìm không dấu", prov, "/quan-chung?giai-doan=&q=" + url.QueryEscape(sample.Common)},
		{"Hồ sơ đang mở — cán bộ phường", ward, fmt.Sprintf("/quan-chung/%d", sample.WardFile)},
		{"Hồ sơ đang mở — bí thư", sec, fmt.Sprintf("/quan-chung/%d", sample.CellFile)},
		{"Hồ sơ đã chính thức — cán bộ phường", ward, fmt.Sprintf("/quan-chung/%d", sample.ClosedFile)},
		{"Tổng quan — phường", ward, "/"},
		{"Tổng quan — tỉnh", prov, "/"},
		{"Việc cần làm — phường", ward, "/viec-can-lam"},
		{"Báo cáo năm — tỉnh", prov, fmt.Sprintf("/bao-cao?ky=%d", ictToday().Year()-1)},
	}
	if o.cpu != "" {
		f, err := os.Create(o.cpu)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "ketnap load: %d khách đồng thời, mỗi trang %s, máy %s (tải trung bình lúc đầu: %s)\n", *clients, *dur, hostName(), loadAvg())
	fmt.Fprintln(tw, "trang\tyêu cầu/s\tp50 ms\tp95 ms\tp99 ms\tbyte/trang\tlỗi\tpgbench tps\tHTTP/pgbench\t")
	for _, p := range pages {
		if *only != "" && !strings.Contains(p.name, *only) {
			continue
		}
		// one traced request: the page's SQL, with its values, as it runs
		// once the instance has seen the page (its memos of file states
		// and tallies filled by a first request)
		for _, trace := range []bool{false, true} {
			req, _ := http.NewRequest(http.MethodGet, base+p.path, nil)
			if trace {
				req.Header.Set("X-Ketnap-Trace", "1")
			}
			if res, err := p.client.Do(req); err == nil {
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
		}
		script := rec.script()
		if o.sqlDir != "" {
			_ = os.MkdirAll(o.sqlDir, 0o755)
			_ = os.WriteFile(filepath.Join(o.sqlDir, admission.Slug(p.name)+".sql"), []byte(script), 0o644)
		}
		st := drive(ctx, p.client, base+p.path, *clients, *dur)
		tps := pgbench(ctx, bin, db.url, script, *clients, *dur)
		ratio := "—"
		if tps > 0 {
			ratio = fmt.Sprintf("%.2f", st.rps/tps)
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%d\t%.1f\t%s\t\n", p.name, st.rps, st.p(50), st.p(95), st.p(99), st.bytes, st.errors, tps, ratio)
		_ = tw.Flush()
	}
	// steps recorded: one awareness class for each file that has only its nomination
	if *only == "" || strings.Contains("Ghi bước", *only) {
		run := fmt.Sprint(time.Now().UnixNano())
		// half the files for the clients, the other half and what they left for
		// pgbench replaying the first write's SQL
		files := sample.Nominated
		// the traced file is the one of the longest id: its number is
		// replaced in the SQL, where a short one would match a second or a day
		if len(files) > 1 { // ordered by id: the last of the clients' half
			i := len(files) / 2
			files[0], files[i-1] = files[i-1], files[0]
		}
		st, used := record(ctx, writer, base, files[:len(files)/2], run, *clients, *dur)
		tps, ratio := 0.0, "—"
		if script := rec.script(); script != "" && used < len(files) {
			tps = writeBench(ctx, db.DB, bin, db.url, script, files[0], writeToken(run, 0), files[used:], *clients, *dur, o.sqlDir)
		}
		if tps > 0 {
			ratio = fmt.Sprintf("%.2f", st.rps/tps)
		}
		if used >= len(files)/2 {
			fmt.Fprintf(os.Stderr, "hết hồ sơ chỉ có bước tạo nguồn để ghi (%d): số đo ghi bước thấp hơn thực tế\n", len(files))
		}
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%d\t%.1f\t%s\t\n", "Ghi bước (lớp nhận thức), cán bộ nhập liệu tỉnh", st.rps, st.p(50), st.p(95), st.p(99), st.bytes, st.errors, tps, ratio)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "RSS của tiến trình (máy chủ và khách đo trong cùng tiến trình): %s; tải trung bình lúc cuối: %s\n", rss(), loadAvg())
	return nil
}

// loadOptions are `ketnap load`'s flags.
type loadOptions struct {
	clients  int
	duration time.Duration
	pages    string
	sqlDir   string
	cpu      string
}

func (o *loadOptions) register(fs *flag.FlagSet) {
	fs.IntVar(&o.clients, "clients", 32, "load: concurrent clients per page")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "load: how long each page is driven")
	fs.StringVar(&o.pages, "pages", "", "load: only the pages whose name contains this")
	fs.StringVar(&o.sqlDir, "sql-dir", "", "load: also write each page's pgbench script into this folder")
	fs.StringVar(&o.cpu, "cpuprofile", "", "load: write the process's CPU profile (server and clients) into this file, for go tool pprof")
}

type page struct {
	name   string
	client *http.Client
	path   string
}

// login signs in and returns a client that keeps the session.
// deepPage returns the n-th page of the list of open files in scope (or
// the last, when there are fewer) and the link's cursor that leads to it
// from the page before, found once by number.
func deepPage(ctx context.Context, db *postgres.DB, scope string, n int) (int, string, error) {
	f := admission.CandidateFilter{Stage: "open", PerPage: 50, Today: ictToday(), Page: 1}
	all, err := db.ListCandidates(ctx, scope, f)
	if err != nil {
		return 0, "", err
	}
	n = max(2, min(n, (all.Total+f.PerPage-1)/f.PerPage))
	f.Page = n - 1
	before, err := db.ListCandidates(ctx, scope, f)
	if err != nil {
		return 0, "", err
	}
	return n, before.Next, nil
}

func login(base, username, password string, conns int) (*http.Client, error) {
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns,
		DisableCompression: false}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest(http.MethodPost, base+"/dang-nhap", strings.NewReader(url.Values{"username": {username}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err := cl.Do(req)
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return nil, fmt.Errorf("đăng nhập %s: %d", username, res.StatusCode)
	}
	return cl, nil
}

// stats are one page's figures.
type stats struct {
	rps    float64
	lat    []time.Duration
	bytes  int64
	errors int64
}

func (s stats) p(q int) float64 {
	if len(s.lat) == 0 {
		return 0
	}
	return float64(s.lat[min(len(s.lat)-1, len(s.lat)*q/100)].Microseconds()) / 1000
}

// hammer calls one from n clients until d has passed (or one says to
// stop) and measures the calls: one returns its bytes, whether it
// succeeded, and whether there is nothing left to do.
func hammer(ctx context.Context, n int, d time.Duration, one func() (bytes int64, ok, stop bool)) stats {
	var mu sync.Mutex
	var all []time.Duration
	var bytes, errs, count atomic.Int64
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(end) && ctx.Err() == nil {
				t := time.Now()
				nb, ok, stop := one()
				if stop {
					break
				}
				if !ok {
					errs.Add(1)
				}
				mine = append(mine, time.Since(t))
				bytes.Add(nb)
				count.Add(1)
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	s := stats{lat: all, errors: errs.Load(), rps: float64(count.Load()) / d.Seconds()}
	if c := count.Load(); c > 0 {
		s.bytes = bytes.Load() / c
	}
	return s
}

// drive requests a page from n clients for d; the bytes are those on the
// wire (compressed where the page is).
func drive(ctx context.Context, cl *http.Client, target string, n int, d time.Duration) stats {
	var reported atomic.Bool
	return hammer(ctx, n, d, func() (int64, bool, bool) {
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res, err := cl.Transport.RoundTrip(withCookies(cl, req))
		if err != nil {
			return 0, false, false
		}
		nb, _ := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK && !reported.Swap(true) {
			fmt.Fprintf(os.Stderr, "%s: %d %s\n", target, res.StatusCode, res.Header.Get("Location"))
		}
		return nb, res.StatusCode == http.StatusOK, false
	})
}

func withCookies(cl *http.Client, req *http.Request) *http.Request {
	for _, c := range cl.Jar.Cookies(req.URL) {
		req.AddCookie(c)
	}
	return req
}

// record records one awareness class per file, from n clients, for d, and
// says how many files it took. The first write is traced.
func record(ctx context.Context, cl *http.Client, base string, files []int64, run string, n int, d time.Duration) (stats, int) {
	var next atomic.Int64
	st := hammer(ctx, n, d, func() (int64, bool, bool) {
		i := next.Add(1) - 1
		if int(i) >= len(files) {
			return 0, false, true
		}
		form := url.Values{"kind": {string(admission.AwarenessClass)}, "occurred_on": {admission.FormatDate(ictToday())},
			"document_no": {fmt.Sprintf("%d/GCN-DT", i)}, "issued_by": {"Trung tâm Chính trị"}, "token": {writeToken(run, i)}}
		req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/quan-chung/%d/buoc", base, files[i]), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		if i == 0 {
			req.Header.Set("X-Ketnap-Trace", "1")
		}
		res, err := cl.Transport.RoundTrip(withCookies(cl, req))
		if err != nil {
			return 0, false, false
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return 0, res.StatusCode == http.StatusSeeOther, false
	})
	return st, min(int(next.Load()), len(files))
}

// writeToken is the form token of a run's i-th write.
func writeToken(run string, i int64) string { return fmt.Sprint("load-", run, "-", i) }

// writeBench runs the SQL of one traced write by pgbench, each transaction
// on the next of files: the traced file and form token become the
// transaction's own (a table of the files and a sequence, dropped after),
// the rest of the values are the traced write's. It returns pgbench's
// transactions per second, 0 when it failed.
func writeBench(ctx context.Context, db *postgres.DB, bin, dbURL, script string, traced int64, token string, files []int64, n int, d time.Duration, sqlDir string) float64 {
	drop, err := db.LoadWrites(ctx, files)
	defer drop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pgbench ghi bước: %v\n", err)
		return 0
	}
	// in a json value ("CandidateID":19) the variable needs a space: pgbench reads "::" as a cast
	body := regexp.MustCompile(`(:?)\b`+strconv.FormatInt(traced, 10)+`\b`).ReplaceAllString(script, "$1 :cid")
	body = strings.ReplaceAll(body, token, "pgb-"+strconv.FormatInt(time.Now().UnixNano(), 10)+"-:n")
	body = "SELECT nextval('ketnap_load_writes_n') AS n \\gset\nSELECT id AS cid FROM ketnap_load_writes WHERE n = :n \\gset\n" + body
	if sqlDir != "" {
		_ = os.MkdirAll(sqlDir, 0o755)
		_ = os.WriteFile(filepath.Join(sqlDir, "ghi-buoc.sql"), []byte(body), 0o644)
	}
	// each transaction takes a file of its own: a count of them each, about
	// d's worth at 20 a second, and never more than the files
	return pgbenchRun(ctx, bin, dbURL, body, n, "-t", max(1, min(len(files)/n, int(d.Seconds()*20))))
}

// pgbench runs a page's SQL, with the values the page used, from n clients
// for d, and returns its transactions per second (0 when it failed).
func pgbench(ctx context.Context, bin, dbURL, script string, n int, d time.Duration) float64 {
	return pgbenchRun(ctx, bin, dbURL, script, n, "-T", max(1, int(d.Seconds())))
}

// pgbenchRun runs script from n clients for the given limit: "-T" seconds
// or "-t" transactions each.
func pgbenchRun(ctx context.Context, bin, dbURL, script string, n int, limit string, count int) float64 {
	if script == "" {
		return 0
	}
	f, err := os.CreateTemp("", "ketnap-load-*.sql")
	if err != nil {
		return 0
	}
	defer os.Remove(f.Name())
	_, _ = f.WriteString(script)
	f.Close()
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pgbench"), "-n", "-c", strconv.Itoa(n), "-j", "2", limit, strconv.Itoa(count), "-f", f.Name(), libpqURL(dbURL))
	opts := make([]string, 0, len(postgres.SessionSettings))
	for _, p := range postgres.SessionSettings {
		opts = append(opts, "-c "+p[0]+"="+p[1])
	}
	cmd.Env = append(os.Environ(), "PGOPTIONS="+strings.Join(opts, " "))
	out, err := cmd.CombinedOutput()
	m := regexp.MustCompile(`tps = ([0-9.]+)`).FindSubmatch(out)
	if err != nil || m == nil {
		first := regexp.MustCompile(`(?m)^.*(ERROR|error):.*$`).Find(out) // the first error says why
		fmt.Fprintf(os.Stderr, "pgbench: %v %s | %s\n", err, first, lastLines(string(out), 3))
		return 0
	}
	tps, _ := strconv.ParseFloat(string(m[1]), 64)
	return tps
}

// libpqURL is a database URL without the options of ketnap's pool
// (pool_max_conns and the like), which libpq's tools refuse.
func libpqURL(dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		return dbURL
	}
	q := u.Query()
	for k := range q {
		if strings.HasPrefix(k, "pool_") {
			q.Del(k)
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}

// recorder is the tracer that keeps the SQL of a traced request.
type recorder struct{ last atomic.Pointer[queries] }

type traceKey struct{}

type queries struct {
	mu  sync.Mutex
	sql []string
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	if q, ok := ctx.Value(traceKey{}).(*queries); ok {
		q.mu.Lock()
		args := data.Args
		if len(args) > 0 { // how pgx runs it is not a value of the SQL
			if _, mode := args[0].(pgx.QueryExecMode); mode {
				args = args[1:]
			}
		}
		q.sql = append(q.sql, inline(data.SQL, args))
		q.mu.Unlock()
	}
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// script is the last traced request's SQL as a pgbench script.
func (r *recorder) script() string {
	q := r.last.Load()
	if q == nil {
		return ""
	}
	var b strings.Builder
	for _, s := range q.sql {
		b.WriteString(strings.Join(strings.Fields(s), " "))
		b.WriteString(";\n")
	}
	return b.String()
}

var placeholder = regexp.MustCompile(`\$([0-9]+)`)

// inline writes a query's values into it as SQL literals.
func inline(sql string, args []any) string {
	return placeholder.ReplaceAllStringFunc(sql, func(m string) string {
		i, _ := strconv.Atoi(m[1:])
		if i < 1 || i > len(args) {
			return m
		}
		return literal(args[i-1])
	})
}

func literal(v any) string {
	quote := func(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
	if val, ok := v.(driver.Valuer); ok {
		if dv, err := val.Value(); err == nil {
			v = dv
		}
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "NULL"
		}
		return literal(rv.Elem().Interface())
	}
	switch x := v.(type) {
	case nil:
		return "NULL"
	case string:
		return quote(x)
	case []byte:
		if len(x) > 0 && (x[0] == '{' || x[0] == '[') && json.Valid(x) { // a json column's value, sent as text
			return quote(string(x))
		}
		return `'\x` + hex.EncodeToString(x) + `'::bytea`
	case bool, int, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64:
		return fmt.Sprint(x)
	case time.Time:
		return quote(x.Format(time.RFC3339Nano))
	case []int64:
		s := make([]string, len(x))
		for i, n := range x {
			s[i] = strconv.FormatInt(n, 10)
		}
		return quote("{" + strings.Join(s, ",") + "}")
	case []string:
		s := make([]string, len(x))
		for i, t := range x {
			s[i] = `"` + strings.ReplaceAll(t, `"`, `\"`) + `"`
		}
		return quote("{" + strings.Join(s, ",") + "}")
	case fmt.Stringer:
		return quote(x.String())
	}
	return quote(fmt.Sprint(v))
}

func hostName() string {
	h, _ := os.Hostname()
	return h
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func rss() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	var now, peak string
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			now = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			peak = strings.TrimSpace(v)
		}
	}
	return now + " (cao nhất " + peak + ")"
}
