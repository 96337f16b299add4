package main

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/backup"
	"ketnap/internal/devdb"
)

// backupCommand is `ketnap backup [--to DIR]`: a consistent dump of the
// database with its manifest (row counts, checksum).
func backupCommand(ctx context.Context, c *config, log *slog.Logger, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	to := fs.String("to", filepath.Join(c.DataDir, "backups"), "thư mục ghi bản sao lưu")
	if err := fs.Parse(args); err != nil {
		return err
	}
	bin, err := devdb.FindBinDir()
	if err != nil {
		return fmt.Errorf("cần pg_dump của PostgreSQL trên máy: %w", err)
	}
	db, err := openDatabase(ctx, c, log, false)
	if err != nil {
		return err
	}
	defer db.release()
	path, m, err := backup.Backup(ctx, db.url, *to, bin, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Đã sao lưu: %s (%d quần chúng, %d bước, %d đảng viên, %d sự kiện nhật ký; lược đồ %d)\n",
		path, m.Rows["candidates"], m.Rows["steps"], m.Rows["members"], m.Rows["audit_events"], m.Schema)
	fmt.Fprintln(w, "Hãy chép cả hai tệp .dump và .json ra nơi khác (ổ USB, máy chủ khác): một bản sao lưu chỉ nằm trên máy này sẽ mất cùng máy.")
	return nil
}

// restoreCommand is `ketnap restore FILE`: restores a backup into the
// configured database, which must be empty, and checks it.
func restoreCommand(ctx context.Context, c *config, log *slog.Logger, args []string, w io.Writer) error {
	if len(args) != 1 {
		return errors.New("cách dùng: ketnap restore TỆP (tệp .json hoặc .dump của bản sao lưu)")
	}
	bin, err := devdb.FindBinDir()
	if err != nil {
		return fmt.Errorf("cần pg_restore của PostgreSQL trên máy: %w", err)
	}
	db, err := openDatabase(ctx, c, log, false)
	if err != nil {
		return err
	}
	defer db.release()
	m, err := backup.Restore(ctx, db.url, args[0], bin)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Đã khôi phục bản sao lưu lúc %s: số dòng của %d bảng khớp với bản mô tả.\n", m.Made.In(admission.Vietnam).Format("15:04 02/01/2006"), len(m.Rows))
	return nil
}

// auditCommand is `ketnap audit verify` (walks the audit trail's hash
// chain) and `ketnap audit archive --before YYYY-MM [--to DIR]` (writes the
// months before out to files and takes them from the database).
func auditCommand(ctx context.Context, c *config, log *slog.Logger, args []string, w io.Writer) error {
	usage := errors.New("cách dùng: ketnap audit verify | ketnap audit archive --before YYYY-MM [--to THƯ-MỤC]")
	if len(args) == 0 {
		return usage
	}
	switch args[0] {
	case "verify":
		if len(args) != 1 {
			return usage
		}
	case "archive":
		return auditArchive(ctx, c, log, args[1:], w)
	default:
		return usage
	}
	db, err := openDatabase(ctx, c, log, false)
	if err != nil {
		return err
	}
	defer db.release()
	chk, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if chk.FirstBroken != 0 {
		return fmt.Errorf("nhật ký đã bị sửa hoặc xóa ngoài ứng dụng: chuỗi băm đứt tại sự kiện #%d (trong %d sự kiện)", chk.FirstBroken, chk.Events)
	}
	fmt.Fprintf(w, "Nhật ký nguyên vẹn: %d sự kiện, mã băm cuối %x\n", chk.Events, chk.LastHash)
	archives, err := db.AuditArchives(ctx)
	if err != nil {
		return err
	}
	if n := len(archives); n > 0 {
		fmt.Fprintf(w, "Nối tiếp %d tháng đã lưu trữ (%s–%s); kiểm tra tệp của chúng bằng mã SHA-256 ghi trong tệp .json đi kèm.\n",
			n, archives[0].Month.Format("01/2006"), archives[n-1].Month.Format("01/2006"))
	}
	return nil
}

// auditArchive archives, oldest first, each month of the audit trail before
// the one given: its events to DIR/audit-YYYY-MM.csv with a manifest beside
// it (.json: the count, the first and last links, the file's SHA-256), then
// out of the database. It stops at the first month refused.
func auditArchive(ctx context.Context, c *config, log *slog.Logger, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("audit archive", flag.ContinueOnError)
	before := fs.String("before", "", "lưu trữ các tháng trước tháng này (YYYY-MM)")
	to := fs.String("to", filepath.Join(c.DataDir, "audit-archives"), "thư mục ghi tệp lưu trữ")
	if err := fs.Parse(args); err != nil {
		return err
	}
	until, err := time.Parse("2006-01", *before)
	if err != nil {
		return errors.New("cần --before YYYY-MM: lưu trữ các tháng trước tháng này, ví dụ --before 2021-01")
	}
	if err := os.MkdirAll(*to, 0o700); err != nil {
		return err
	}
	db, err := openDatabase(ctx, c, log, false)
	if err != nil {
		return err
	}
	defer db.release()
	months, err := db.AuditMonths(ctx)
	if err != nil {
		return err
	}
	root, err := db.RootPath(ctx)
	if err != nil {
		return err
	}
	rootID, err := db.RootID(ctx)
	if err != nil {
		return err
	}
	self := systemActor(root)
	self.ScopeOrgID = rootID
	svc := &admission.Service{DB: db.DB, Now: admission.SystemClock}
	done := 0
	for _, m := range months {
		if !m.Before(until) {
			break
		}
		name := "audit-" + m.Format("2006-01") + ".csv"
		path := filepath.Join(*to, name)
		a, err := archiveMonth(ctx, svc, self, m, path, name)
		if err != nil {
			return err
		}
		done++
		fmt.Fprintf(w, "Đã lưu trữ tháng %s: %d sự kiện → %s (SHA-256 %s)\n", m.Format("01/2006"), a.Events, path, a.FileSHA256)
	}
	if done == 0 {
		fmt.Fprintf(w, "Không có tháng nào trước %s còn trong nhật ký.\n", until.Format("01/2006"))
		return nil
	}
	fmt.Fprintln(w, "Hãy chép các tệp .csv và .json ra nơi lưu giữ lâu dài: nhật ký của các tháng này không còn trong cơ sở dữ liệu.")
	return nil
}

// archiveMonth writes a month's file under a temporary name, archives the
// month, then gives the file its name and writes its manifest; a refused
// month leaves no file.
func archiveMonth(ctx context.Context, svc *admission.Service, self admission.Actor, m time.Time, path, name string) (admission.AuditArchive, error) {
	f, err := os.CreateTemp(filepath.Dir(path), name+".*.tmp")
	if err != nil {
		return admission.AuditArchive{}, err
	}
	defer f.Close()
	a, err := svc.ArchiveAuditMonth(ctx, self, m, name, f)
	if err != nil {
		os.Remove(f.Name())
		return a, err
	}
	// the month is out of the database now: its file must be kept
	if err := f.Sync(); err != nil {
		return a, fmt.Errorf("tháng %s đã lưu trữ nhưng ghi tệp lỗi (%w); tệp tạm: %s", m.Format("01/2006"), err, f.Name())
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return a, fmt.Errorf("tháng %s đã lưu trữ nhưng đổi tên tệp lỗi (%w); tệp tạm: %s", m.Format("01/2006"), err, f.Name())
	}
	manifest, _ := json.MarshalIndent(map[string]any{
		"month": m.Format("2006-01"), "events": a.Events, "first_id": a.FirstID, "last_id": a.LastID,
		"first_prev_hash": hex.EncodeToString(a.FirstPrevHash), "last_hash": hex.EncodeToString(a.LastHash),
		"file": name, "sha256": a.FileSHA256, "archived_at": a.ArchivedAt,
	}, "", "  ")
	return a, os.WriteFile(strings.TrimSuffix(path, ".csv")+".json", append(manifest, '\n'), 0o600)
}

// dailyBackups backs up the database once a day (the first a minute after
// the start), verifies the audit chain, and keeps the newest keep backups.
func dailyBackups(ctx context.Context, db *database, dir string, keep int, log *slog.Logger) {
	bin, err := devdb.FindBinDir()
	if err != nil {
		log.Error("sao lưu hằng ngày: không có pg_dump trên máy", "err", err)
		return
	}
	wait := time.Minute
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = 24 * time.Hour
		path, m, err := backup.Backup(ctx, db.url, dir, bin, time.Now())
		if err != nil {
			log.Error("sao lưu hằng ngày", "err", err)
			continue
		}
		log.Info("đã sao lưu", "file", path, "candidates", m.Rows["candidates"], "audit_events", m.Rows["audit_events"])
		if removed, err := backup.Prune(dir, keep); err != nil {
			log.Error("xóa bản sao lưu cũ", "err", err)
		} else if removed > 0 {
			log.Info("đã xóa bản sao lưu cũ", "removed", removed)
		}
		if chk, err := db.VerifyAudit(ctx); err != nil {
			log.Error("kiểm tra chuỗi nhật ký", "err", err)
		} else if chk.FirstBroken != 0 {
			log.Error("NHẬT KÝ ĐÃ BỊ SỬA ngoài ứng dụng", "first_broken_event", chk.FirstBroken)
		}
	}
}
