package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
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

// auditCommand is `ketnap audit verify`: walks the audit trail's hash chain.
func auditCommand(ctx context.Context, c *config, log *slog.Logger, args []string, w io.Writer) error {
	if len(args) != 1 || args[0] != "verify" {
		return errors.New("cách dùng: ketnap audit verify")
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
	return nil
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
