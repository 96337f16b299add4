package main_test

import (
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ketnap/internal/browsertest"
)

// TestRestartAfterKill: after kill -9 of ketnap, the next start adopts (or
// restarts) its private PostgreSQL and serves the same data; a second
// instance on the same data dir is refused with a clear message.
func TestRestartAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the real binary")
	}
	dir := browsertest.Dir(t)
	bin := browsertest.Build(t, dir)
	data := filepath.Join(dir, "data")
	first := browsertest.StartIn(t, bin, data)
	first.Password(t, "admin") // the first start printed the credentials

	port := browsertest.FreePort(t)
	second := exec.Command(bin, "serve")
	second.Env = append(second.Environ(), "DATABASE_URL=", fmt.Sprintf("KETNAP_ADDR=127.0.0.1:%d", port), "KETNAP_DATA_DIR="+data)
	out, err := second.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "đã đang chạy") {
		t.Fatalf("second instance: %v\n%s", err, out)
	}
	if resp, err := http.Get(first.URL + "/healthz"); err != nil || resp.StatusCode != 200 {
		t.Fatalf("the first instance was harmed: %v", err)
	}

	first.Kill()
	again := browsertest.StartIn(t, bin, data)
	if strings.Contains(again.Log.String(), "Tài khoản đăng nhập") {
		t.Fatal("the restart created users again: the data was not reused")
	}
	if !strings.Contains(again.Log.String(), "dùng lại") && !strings.Contains(again.Log.String(), "đã khởi động PostgreSQL") {
		t.Fatalf("restart log:\n%s", again.Log.String())
	}
}

// TestCommandLine: --help lists every setting; a wrong DATABASE_URL is one clear line.
func TestCommandLine(t *testing.T) {
	dir := browsertest.Dir(t)
	bin := browsertest.Build(t, dir)
	out, err := exec.Command(bin, "--help").CombinedOutput()
	if err != nil {
		t.Fatalf("--help: %v", err)
	}
	for _, s := range []string{"DATABASE_URL", "KETNAP_ADDR", "KETNAP_DATA_DIR", "KETNAP_TRUSTED_PROXY", "KETNAP_TLS_CERT", "KETNAP_TLS_KEY", "KETNAP_DEMO", "KETNAP_LOG_LEVEL", "KETNAP_LOG_FORMAT", "user create"} {
		if !strings.Contains(string(out), s) {
			t.Errorf("--help does not list %s", s)
		}
	}
	for _, url := range []string{"postgres://nobody@127.0.0.1:1/none?connect_timeout=2", "not a url ::"} {
		cmd := exec.Command(bin, "migrate", "status")
		cmd.Env = append(cmd.Environ(), "DATABASE_URL="+url)
		out, err := cmd.CombinedOutput()
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if err == nil || len(lines) != 1 || !strings.HasPrefix(lines[0], "ketnap: ") || strings.Contains(string(out), "goroutine") {
			t.Errorf("DATABASE_URL=%q: %v\n%s", url, err, out)
		}
	}
	// an unknown log level is refused in one line, before anything starts
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(cmd.Environ(), "KETNAP_LOG_LEVEL=verbose")
	out, err = cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "KETNAP_LOG_LEVEL") {
		t.Errorf("KETNAP_LOG_LEVEL=verbose: %v\n%s", err, out)
	}
}
