// Package backup writes a consistent dump of ketnap's database with a
// manifest, and restores one into an empty database, checking it.
//
// A backup is two files: NAME.dump (pg_dump's custom format, one
// consistent snapshot) and NAME.json, the manifest: when, the schema
// version, every table's row count and the dump's SHA-256.
package backup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Manifest describes a backup.
type Manifest struct {
	Made    time.Time        `json:"made"`
	Schema  int64            `json:"schema_version"`
	Rows    map[string]int64 `json:"rows"`
	SHA256  string           `json:"sha256"`
	Dump    string           `json:"dump"`
	Program string           `json:"program"`
}

// Counts returns every table's row count.
func Counts(ctx context.Context, conn *pgx.Conn) (map[string]int64, int64, error) {
	rows, err := conn.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
	if err != nil {
		return nil, 0, err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, 0, err
	}
	out := map[string]int64{}
	for _, t := range tables {
		var n int64
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{t}.Sanitize()).Scan(&n); err != nil {
			return nil, 0, err
		}
		out[t] = n
	}
	var schema int64
	_ = conn.QueryRow(ctx, `SELECT coalesce(max(version_id), 0) FROM goose_db_version WHERE is_applied`).Scan(&schema)
	return out, schema, nil
}

// Backup dumps the database at url into dir (bin holds pg_dump) and
// writes its manifest; it returns the manifest's path.
func Backup(ctx context.Context, url, dir, bin string, now time.Time) (string, Manifest, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", Manifest{}, fmt.Errorf("tạo thư mục sao lưu %s: %w", dir, err)
	}
	name := "ketnap-" + now.UTC().Format("20060102-150405")
	dump := filepath.Join(dir, name+".dump")
	// counts and dump from one snapshot: the counts are read in a repeatable-read
	// transaction whose snapshot pg_dump takes over
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "", Manifest{}, fmt.Errorf("không kết nối được cơ sở dữ liệu: %w", err)
	}
	defer conn.Close(ctx)
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return "", Manifest{}, err
	}
	defer tx.Rollback(ctx)
	var snapshot string
	if err := tx.QueryRow(ctx, `SELECT pg_export_snapshot()`).Scan(&snapshot); err != nil {
		return "", Manifest{}, err
	}
	counts, schema, err := Counts(ctx, tx.Conn())
	if err != nil {
		return "", Manifest{}, err
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
		"--snapshot="+snapshot, "--file="+dump, "--dbname="+url)
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.Remove(dump)
		return "", Manifest{}, fmt.Errorf("pg_dump: %v: %s", err, strings.TrimSpace(string(out)))
	}
	sum, err := fileSum(dump)
	if err != nil {
		return "", Manifest{}, err
	}
	m := Manifest{Made: now.UTC(), Schema: schema, Rows: counts, SHA256: sum, Dump: filepath.Base(dump), Program: "ketnap"}
	path := filepath.Join(dir, name+".json")
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		return "", Manifest{}, err
	}
	return path, m, nil
}

// Restore restores the backup whose manifest (or dump) is file into the
// empty database at url, and checks the dump's checksum before and every
// table's row count after.
func Restore(ctx context.Context, url, file, bin string) (Manifest, error) {
	manifest := strings.TrimSuffix(file, filepath.Ext(file)) + ".json"
	b, err := os.ReadFile(manifest)
	if err != nil {
		return Manifest{}, fmt.Errorf("không đọc được tệp mô tả bản sao lưu %s: %w", manifest, err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil || m.Program != "ketnap" || m.Dump == "" {
		return Manifest{}, fmt.Errorf("tệp %s không phải bản mô tả sao lưu của ketnap", manifest)
	}
	dump := filepath.Join(filepath.Dir(manifest), m.Dump)
	sum, err := fileSum(dump)
	if err != nil {
		return m, fmt.Errorf("không đọc được bản sao lưu %s: %w", dump, err)
	}
	if sum != m.SHA256 {
		return m, fmt.Errorf("bản sao lưu %s đã bị hỏng hoặc bị sửa (mã kiểm tra không khớp): không khôi phục", dump)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return m, fmt.Errorf("không kết nối được cơ sở dữ liệu đích: %w", err)
	}
	defer conn.Close(ctx)
	var tables int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil {
		return m, err
	}
	if tables > 0 {
		return m, errors.New("cơ sở dữ liệu đích không trống: chỉ khôi phục vào một cơ sở dữ liệu mới tạo, để không ghi đè dữ liệu đang có")
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
		"--dbname="+url, dump)
	if out, err := cmd.CombinedOutput(); err != nil {
		return m, fmt.Errorf("pg_restore: %v: %s", err, strings.TrimSpace(string(out)))
	}
	got, schema, err := Counts(ctx, conn)
	if err != nil {
		return m, err
	}
	if schema != m.Schema {
		return m, fmt.Errorf("phiên bản lược đồ sau khi khôi phục là %d, bản sao lưu ghi %d", schema, m.Schema)
	}
	var diff []string
	for t, n := range m.Rows {
		if got[t] != n {
			diff = append(diff, fmt.Sprintf("%s: %d thay vì %d", t, got[t], n))
		}
	}
	sort.Strings(diff)
	if len(diff) > 0 {
		return m, fmt.Errorf("số dòng sau khi khôi phục không khớp: %s", strings.Join(diff, "; "))
	}
	// the audit trail's hash chain came across whole
	var broken *int64
	if err := conn.QueryRow(ctx, `SELECT audit_chain_first_broken()`).Scan(&broken); err != nil {
		return m, err
	}
	if broken != nil {
		return m, fmt.Errorf("chuỗi băm của nhật ký trong bản khôi phục đứt tại sự kiện #%d", *broken)
	}
	return m, nil
}

func fileSum(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Prune keeps the newest keep backups in dir (by name, which holds the
// time) and removes the others' dump and manifest; it returns how many it removed.
func Prune(dir string, keep int) (int, error) {
	manifests, err := filepath.Glob(filepath.Join(dir, "ketnap-*.json"))
	if err != nil {
		return 0, err
	}
	sort.Strings(manifests)
	removed := 0
	for i := 0; i < len(manifests)-keep; i++ {
		base := strings.TrimSuffix(manifests[i], ".json")
		if err := os.Remove(base + ".dump"); err != nil && !os.IsNotExist(err) {
			return removed, err
		}
		if err := os.Remove(manifests[i]); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}
