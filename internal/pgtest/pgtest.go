// Package pgtest gives tests a real PostgreSQL: one private cluster per test
// binary, started from the machine's PostgreSQL binaries, and one fresh
// database per test cloned from a migrated template.
package pgtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"ketnap/internal/devdb"
	"ketnap/internal/postgres"
)

const template = "ketnap_template"

var (
	cluster *devdb.Cluster
	counter atomic.Int64
)

// Main starts the cluster, runs the tests and stops the cluster. Call it
// from TestMain. Under CI=true a missing PostgreSQL fails the run instead of
// skipping it.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if fuzzWorker() {
		// a fuzzing worker runs only fuzz targets, which need no database:
		// starting a cluster in every worker (and again at each restart)
		// stalls the fuzzing coordinator
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "ketnap-pgtest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	_ = os.Chmod(dir, 0o755) // the postgres user must reach the cluster when tests run as root
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := devdb.New(devdb.Options{Dir: dir + "/pg", Log: log})
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgtest: PostgreSQL không dùng được:", err)
		return 1
	}
	if err := c.SetFastUnsafe(); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest:", err)
		return 1
	}
	defer c.Stop()
	cluster = c
	if err := makeTemplate(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "pgtest: template:", err)
		return 1
	}
	return m.Run()
}

func makeTemplate(ctx context.Context) error {
	if err := postgres.EnsureDatabase(ctx, cluster.URL("postgres"), template); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, cluster.URL(template))
	if err != nil {
		return err
	}
	defer db.Close()
	mig, err := db.NewMigrator(nil)
	if err != nil {
		return err
	}
	return mig.Up(ctx)
}

// URL returns the URL of a new, empty database (no migrations), dropped when the test ends.
func EmptyURL(t testing.TB) string {
	return newDB(t, "template0")
}

// URL returns the URL of a new migrated database, dropped when the test ends.
func URL(t testing.TB) string {
	return newDB(t, template)
}

func newDB(t testing.TB, from string) string {
	t.Helper()
	if cluster == nil {
		t.Fatal("pgtest: cluster not started; call pgtest.Main from TestMain")
	}
	ctx := context.Background()
	name := fmt.Sprintf("t%d_%d", os.Getpid(), counter.Add(1))
	admin, err := pgx.Connect(ctx, cluster.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name+" TEMPLATE "+from); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, cluster.URL("postgres"))
		if err != nil {
			t.Log(err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Log(err)
		}
	})
	return cluster.URL(name)
}

// DB returns an open pool on a new migrated database.
func DB(t testing.TB) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

// fuzzWorker reports whether this test binary is a worker of `go test -fuzz`.
func fuzzWorker() bool {
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-test.fuzzworker") {
			return true
		}
	}
	return false
}
