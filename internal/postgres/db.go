// Package postgres is ketnap's only package that speaks SQL: the connection
// pool, the migrations runner and the stores behind the admission service.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"

	"ketnap/internal/admission"
)

// DB is the connection pool with ketnap's queries.
type DB struct {
	Pool *pgxpool.Pool
	// tallies keeps the compacted tallies' sums of the dashboards' views
	// (tallymemo.go); nil keeps nothing
	tallies *tallyMemo
	// shapes keeps scopes' organization counts that choose a statement's
	// shape (shapeSize); nil keeps nothing
	shapes *shapeMemo
}

// Open connects to PostgreSQL and checks the connection. The error is one
// clear line when the URL is wrong or the server cannot be reached.
func Open(ctx context.Context, url string) (*DB, error) { return OpenTraced(ctx, url, nil) }

// OpenTraced is Open with a tracer that sees every query (the load test
// records each page's SQL with it, to run the same SQL in pgbench).
func OpenTraced(ctx context.Context, url string, tracer pgx.QueryTracer) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL không hợp lệ: %s", firstLine(err.Error()))
	}
	if !strings.Contains(url, "pool_max_conns") { // the URL's own size wins
		cfg.MaxConns = defaultPoolSize()
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.HealthCheckPeriod = 15 * time.Second
	for _, p := range SessionSettings {
		if _, set := cfg.ConnConfig.RuntimeParams[p[0]]; !set { // the URL's own options win
			cfg.ConnConfig.RuntimeParams[p[0]] = p[1]
		}
	}
	// Every list and report is scoped by a path prefix and a day range whose
	// selectivity depends on the values (a cell or a province, a month or a
	// year): a plan made for the values beats a generic one, which after five
	// runs of a prepared statement can scan a year's index once per cell. So
	// the pool's statements run as the unnamed statement, planned anew each
	// time with their values; a statement that finds its rows by key says so
	// (byKey) and keeps its plan.
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("không kết nối được PostgreSQL: %s", firstLine(err.Error()))
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("không kết nối được PostgreSQL (%s@%s/%s): %s", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Database, firstLine(err.Error()))
	}
	return &DB{Pool: pool, tallies: &tallyMemo{}, shapes: &shapeMemo{}}, nil
}

// defaultPoolSize is how many connections the pool opens at most: four per
// core of this machine, at least 8. On the 2-core server of the national
// measurements, with PostgreSQL on the same cores, 20 connections served
// no more requests than 8 (a ward's list at 32 clients: 384–407 against
// 393–395 per second) but with a longer tail (p95 116–121 ms against 98),
// and the province dashboard's p95 fell from 113 to 88 ms: connections
// beyond what the cores run only take turns. A database on a larger server
// takes pool_max_conns in DATABASE_URL.
func defaultPoolSize() int32 { return int32(max(8, 4*runtime.GOMAXPROCS(0))) }

// SessionSettings are the settings of every connection of the pool, in
// order (the load runs pgbench with the same ones).
var SessionSettings = [][2]string{
	{"timezone", "Asia/Ho_Chi_Minh"},
	{"application_name", "ketnap"},
	// How a statement is planned is chosen per statement (see byKey): the
	// ones that find rows by key keep a plan (auto), the others are planned
	// for their values each time.
	{"plan_cache_mode", "auto"},
	// A page's queries run in milliseconds; compiling them (JIT) took 460 ms
	// of a 510 ms dashboard query on a province, for no gain.
	{"jit", "off"},
	// Pages serve many users at once: a parallel plan takes the cores the
	// other requests need. A province dashboard's tallies ran in 11 ms alone
	// without it and 16 ms with two workers, but at 8 clients at once gave
	// 295 per second without workers against 123 with them.
	{"max_parallel_workers_per_gather", "0"},
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Close closes the pool.
func (db *DB) Close() { db.Pool.Close() }

// SQL returns a database/sql handle over the pool (for goose).
func (db *DB) SQL() *sql.DB { return stdlib.OpenDBFromPool(db.Pool) }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	return wrap(db.Pool.Ping(ctx))
}

// InTx runs fn inside one transaction; it commits when fn returns nil.
func (db *DB) InTx(ctx context.Context, fn func(admission.Store) error) error {
	err := pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		return fn(newStore(tx))
	})
	return wrap(err)
}

// querier is what both the pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// byKey runs statements that find their rows by key (an id, a token, a
// file's steps) as prepared statements that keep their plan. Planning such
// a statement anew each time cost more than running it: 0.3 to 0.8 ms
// against 0.02 to 0.2 ms for the session, the file and its steps, a third
// of a step write's time in the database and half of a file page's. A
// statement whose plan depends on its values passes forValues first, and
// is planned each time.
type byKey struct{ q querier }

func keyed(args []any) []any {
	if len(args) > 0 {
		if _, ok := args[0].(pgx.QueryExecMode); ok {
			return args
		}
	}
	return append([]any{pgx.QueryExecModeCacheStatement}, args...)
}

func (k byKey) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return k.q.Exec(ctx, sql, keyed(args)...)
}

func (k byKey) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return k.q.Query(ctx, sql, keyed(args)...)
}

func (k byKey) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return k.q.QueryRow(ctx, sql, keyed(args)...)
}

// key is the pool for statements that find their rows by key.
func (db *DB) key() querier { return byKey{db.Pool} }

// forValues marks a statement of the store whose plan depends on its
// values (a scope, a name): it is planned anew each time.
const forValues = pgx.QueryExecModeCacheDescribe

// wrap turns database errors into coded admission errors: unreachable
// database → Unavailable, unique violation → Conflict, constraint → Invalid.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var ae *admission.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return admission.ErrNotFound
	}
	if IsUnavailable(err) {
		return admission.ErrUnavailable(err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505", "40001", "40P01", "55P03":
			return admission.ErrDuplicate(err)
		case "23514", "23503", "23502", "22001", "22007", "22008", "22P02":
			return admission.ErrConstraint(pe.ConstraintName, err)
		}
	}
	return admission.ErrInternal(err)
}

// IsUnavailable reports whether err means the database cannot be reached.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &ce), errors.As(err, &ne), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.As(err, &pe):
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P")
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "failed to connect") || strings.Contains(msg, "no such file or directory")
}

// EnsureDatabase creates database name on the server reached by adminURL
// (connected to its "postgres" database) when it does not exist.
func EnsureDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("kết nối PostgreSQL: %s", firstLine(err.Error()))
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+" ENCODING 'UTF8' TEMPLATE template0")
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "42P04" { // created meanwhile
		return nil
	}
	return err
}

// Describe names the server a pool connects to, without its password.
func (db *DB) Describe() string {
	c := db.Pool.Config().ConnConfig
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}
