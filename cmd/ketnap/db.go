package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"ketnap/internal/devdb"
	"ketnap/internal/postgres"
)

// database is an open database and, for a private cluster, how to release it.
type database struct {
	*postgres.DB
	url     string
	release func()
}

// runLock is held by `ketnap serve` on its data dir, so a second instance on
// the same private cluster fails with a clear message and harms nothing.
type runLock struct{ f *os.File }

func lockDataDir(dir string) (*runLock, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("tạo thư mục dữ liệu %s: %w", dir, err)
	}
	p := filepath.Join(dir, "ketnap.lock")
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := io.ReadAll(f)
		f.Close()
		pid := strings.TrimSpace(string(b))
		return nil, fmt.Errorf("ketnap đã đang chạy với thư mục dữ liệu %s (PID %s); dừng tiến trình đó (Ctrl-C) trước khi chạy lại", dir, pid)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &runLock{f: f}, nil
}

func (l *runLock) release() {
	if l != nil && l.f != nil {
		_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
		l.f.Close()
	}
}

// openDatabase connects to DATABASE_URL, or starts (or joins) the private
// cluster under the data dir. exclusive means this command owns the cluster
// for its lifetime (serve): it fails when another ketnap holds it.
func openDatabase(ctx context.Context, c *config, log *slog.Logger, exclusive bool) (*database, error) {
	return openDatabaseLocked(ctx, c, log, exclusive, nil)
}

// openDatabaseLocked is openDatabase with the data-dir lock already taken (held may be nil).
func openDatabaseLocked(ctx context.Context, c *config, log *slog.Logger, exclusive bool, held *runLock) (*database, error) {
	if c.DatabaseURL != "" {
		db, err := postgres.Open(ctx, c.DatabaseURL)
		if err != nil {
			return nil, err
		}
		return &database{DB: db, url: c.DatabaseURL, release: db.Close}, nil
	}
	lock, err := held, error(nil)
	if lock == nil {
		lock, err = lockDataDir(c.DataDir)
	}
	if err != nil && exclusive {
		return nil, err
	}
	cluster, cerr := devdb.New(devdb.Options{Dir: filepath.Join(c.DataDir, "postgres"), Log: log})
	if cerr != nil {
		lock.release()
		return nil, cerr
	}
	owner := err == nil // we hold the lock: start the cluster and stop it at the end
	if owner {
		if err := cluster.Start(ctx); err != nil {
			lock.release()
			return nil, err
		}
	}
	stopAll := func() {
		if owner {
			if err := cluster.Stop(); err != nil {
				log.Error("dừng PostgreSQL riêng", "err", err)
			}
			lock.release()
		}
	}
	if err := postgres.EnsureDatabase(ctx, cluster.URL("postgres"), "ketnap"); err != nil {
		stopAll()
		return nil, fmt.Errorf("tạo cơ sở dữ liệu ketnap: %w", err)
	}
	db, err := postgres.Open(ctx, cluster.URL("ketnap"))
	if err != nil {
		stopAll()
		return nil, err
	}
	return &database{DB: db, url: cluster.URL("ketnap"), release: func() { db.Close(); stopAll() }}, nil
}

func migrate(ctx context.Context, c *config, log *slog.Logger, sub string, w io.Writer) error {
	db, err := openDatabase(ctx, c, log, false)
	if err != nil {
		return err
	}
	defer db.release()
	m, err := db.NewMigrator(log)
	if err != nil {
		return err
	}
	switch sub {
	case "up":
		if err := m.Up(ctx); err != nil {
			return err
		}
	case "down":
		if err := m.Down(ctx); err != nil {
			return err
		}
	case "status":
	default:
		return errors.New("migrate nhận up, down hoặc status")
	}
	return m.Status(ctx, w)
}
