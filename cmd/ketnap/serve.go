package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/auth"
	"ketnap/internal/demo"
	"ketnap/internal/postgres"
	"ketnap/internal/web"
	assets "ketnap/web"
)

func ictToday() time.Time {
	return admission.SystemClock.Today()
}

func serve(ctx context.Context, c *config, log *slog.Logger) error {
	// A second ketnap on the same data dir, or a busy port, fails at once,
	// before any database work.
	var lock *runLock
	if c.DatabaseURL == "" {
		l, err := lockDataDir(c.DataDir)
		if err != nil {
			return err
		}
		lock = l
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		lock.release()
		return fmt.Errorf("không mở được cổng %s (có chương trình khác đang dùng?): %w", c.Addr, err)
	}
	defer ln.Close()
	db, svc, err := readyDatabase(ctx, c, log, true, lock, 6)
	if err != nil {
		return err
	}
	defer db.release()
	if c.Demo == "auto" {
		empty, err := db.IsEmpty(ctx)
		if err != nil {
			return err
		}
		if empty {
			if _, err := demo.Load(ctx, db.DB, svc, ictToday(), log); err != nil {
				return fmt.Errorf("nạp dữ liệu mẫu: %w", err)
			}
		}
	}
	if err := bootstrapUsers(ctx, db.DB, svc, log, os.Stdout); err != nil {
		return fmt.Errorf("tạo tài khoản đầu tiên: %w", err)
	}
	as, err := assets.Load()
	if err != nil {
		return err
	}
	importMB, err := strconv.Atoi(c.ImportMaxMB)
	if err != nil || importMB < 1 || importMB > 1024 {
		return fmt.Errorf("KETNAP_IMPORT_MAX_MB phải là số MB từ 1 đến 1024, không phải %q", c.ImportMaxMB)
	}
	srv := &web.Server{DB: db.DB, Auth: db.DB, Svc: svc, Now: admission.SystemClock, Log: log, Assets: as, TrustedProxy: c.TrustedProxy, TLS: c.TLSCert != "",
		ImportMaxBytes: int64(importMB) << 20}
	if c.ReplicaURL != "" {
		replica, err := postgres.Open(ctx, c.ReplicaURL)
		if err != nil {
			return fmt.Errorf("KETNAP_REPLICA_URL: %w", err)
		}
		defer replica.Close()
		srv.Replica = replica
		log.Info("báo cáo và danh sách đọc từ bản sao", "replica", replica.Describe())
	}
	hs := &http.Server{
		Handler:           srv.Routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go db.Maintain(ctx, 30*time.Second, admission.SystemClock, log)
	errc := make(chan error, 1)
	go func() {
		if c.TLSCert != "" {
			errc <- hs.ServeTLS(ln, c.TLSCert, c.TLSKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	scheme := "http"
	if c.TLSCert != "" {
		scheme = "https"
	}
	log.Info("ketnap đang phục vụ", "url", fmt.Sprintf("%s://%s", scheme, displayAddr(ln.Addr())))
	if c.BackupDir != "" {
		keep, err := strconv.Atoi(c.BackupKeep)
		if err != nil || keep < 1 {
			return fmt.Errorf("KETNAP_BACKUP_KEEP phải là số bản sao lưu giữ lại (từ 1), không phải %q", c.BackupKeep)
		}
		go dailyBackups(ctx, db, c.BackupDir, keep, log)
	}
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		log.Info("đang dừng ketnap")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if ok && (tcp.IP == nil || tcp.IP.IsUnspecified()) {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

func loadDemo(ctx context.Context, c *config, log *slog.Logger, w io.Writer) error {
	db, err := openDatabase(ctx, c, log, false)
	if err != nil {
		return err
	}
	defer db.release()
	if err := migrateUp(ctx, db.DB); err != nil {
		return err
	}
	res, err := demo.Load(ctx, db.DB, &admission.Service{DB: db.DB, Now: admission.SystemClock}, ictToday(), log)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Dữ liệu mẫu: %d tổ chức mới, %d đảng viên, %d quần chúng, %d bước.\n", res.Organizations, res.Members, res.Candidates, res.Steps)
	return nil
}

// migrateUp applies every pending migration.
func migrateUp(ctx context.Context, db *postgres.DB) error {
	m, err := db.NewMigrator(nil)
	if err != nil {
		return err
	}
	if err := m.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// generateScale is `ketnap demo --scale ward|province|national`: a province
// of that size, generated in SQL, and the accounts a load test signs in with.
func generateScale(ctx context.Context, c *config, log *slog.Logger, name string, w io.Writer) error {
	sc, ok := demo.Scales[name]
	if !ok {
		return fmt.Errorf("--scale là ward, province hoặc national, không phải %q", name)
	}
	db, svc, err := readyDatabase(ctx, c, log, false, nil, 10)
	if err != nil {
		return err
	}
	defer db.release()
	began := time.Now()
	part, partBegan := "", began
	res, err := demo.Generate(ctx, db.DB, sc, ictToday(), func(next string) {
		if part != "" {
			log.Info("sinh dữ liệu", "phần", part, "thời gian", time.Since(partBegan).Round(time.Millisecond).String())
		}
		part, partBegan = next, time.Now()
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Đã sinh quy mô %s trong %s: %s.\n", name, time.Since(began).Round(time.Second), demo.Describe(res))
	fmt.Fprintf(w, "Tài khoản đo tải (mật khẩu chỉ hiện một lần):\n")
	for _, u := range demo.ScaleUsers() {
		pw := auth.RandomPassword()
		hash, err := auth.Hash(pw, auth.DefaultParams)
		if err != nil {
			return err
		}
		if err := createScaleUser(ctx, db.DB, svc, u, hash); err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-18s %-16s %s\n", u.Username, pw, admission.RoleLabels[u.Role])
	}
	return nil
}

// createScaleUser creates one of a generated province's accounts, in the
// scope its code names, through the admission service (audited).
func createScaleUser(ctx context.Context, db *postgres.DB, svc *admission.Service, u demo.ScaleUser, hash string) error {
	o, err := db.OrganizationByCodeOrID(ctx, u.ScopeCode)
	if err != nil {
		return err
	}
	_, err = svc.CreateUser(ctx, systemActor("/"), admission.UserInput{Username: u.Username, FullName: u.Name, Role: u.Role,
		ScopeOrgID: o.ID, Active: true, PasswordHash: hash})
	return err
}

// readyDatabase opens the database, migrates it and makes sure the holidays
// of the years a path spans are there (from yearsBack years ago).
func readyDatabase(ctx context.Context, c *config, log *slog.Logger, exclusive bool, lock *runLock, yearsBack int) (*database, *admission.Service, error) {
	db, err := openDatabaseLocked(ctx, c, log, exclusive, lock)
	if err != nil {
		return nil, nil, err
	}
	if err := migrateUp(ctx, db.DB); err != nil {
		db.release()
		return nil, nil, err
	}
	svc := &admission.Service{DB: db.DB, Now: admission.SystemClock}
	if err := svc.EnsureHolidays(ctx, ictToday().Year()-yearsBack, ictToday().Year()+2); err != nil {
		db.release()
		return nil, nil, err
	}
	return db, svc, nil
}
