package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"ketnap/internal/browsertest"
)

// TestLoadOnAGeneratedWard: `ketnap demo --scale ward` fills the private
// database, and `ketnap load` drives every page and the step writes on it,
// each with its figures, no errors, and pgbench's figure on the same SQL.
func TestLoadOnAGeneratedWard(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary, PostgreSQL and pgbench")
	}
	dir := browsertest.Dir(t)
	bin := browsertest.Build(t, dir)
	run := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "DATABASE_URL=", "KETNAP_DATA_DIR="+filepath.Join(dir, "data"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("ketnap %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("demo", "--scale", "ward")
	out := run("load", "--clients", "2", "--duration", "1s")
	// a page's row: name, then requests/s, p50, p95, p99, bytes, errors, pgbench tps, ratio
	row := regexp.MustCompile(`(?m)^\s*(\S.*?)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9]+)\s+([0-9]+)\s+([0-9.]+)\s+(\S+)\s*$`)
	rows := row.FindAllStringSubmatch(out, -1)
	if len(rows) != 16 {
		t.Fatalf("%d rows of figures, want 15 pages and the step writes:\n%s", len(rows), out)
	}
	for _, r := range rows {
		rps, _ := strconv.ParseFloat(r[2], 64)
		tps, _ := strconv.ParseFloat(r[8], 64)
		if rps <= 0 || r[7] != "0" || tps <= 0 {
			t.Errorf("%s: %s requests/s, %s errors, pgbench %s tps\n%s", r[1], r[2], r[7], r[8], out)
		}
	}
	// the province's deep page, reached by its link, is a page past the first
	if m := regexp.MustCompile(`tỉnh, trang ([0-9]+) \(theo liên kết\)`).FindStringSubmatch(out); m == nil || m[1] == "1" {
		t.Errorf("no deep page of the province's list:\n%s", out)
	}
	if !strings.Contains(out, "Ghi bước") || strings.Contains(out, "pgbench:") {
		t.Errorf("load output:\n%s", out)
	}
}
