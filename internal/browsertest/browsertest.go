// Package browsertest starts the real ketnap binary and drives it in a real
// headless Chromium (Debian's chromium package) for end-to-end tests.
package browsertest

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// RepoRoot returns the repository's top folder.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// ArtifactDir returns the folder for screenshots (git ignores it).
func ArtifactDir(t testing.TB) string {
	dir := filepath.Join(RepoRoot(), "test-artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// ChromiumPath finds Debian's chromium; under CI=true its absence fails the test, otherwise it skips.
func ChromiumPath(t testing.TB) string {
	for _, p := range []string{os.Getenv("KETNAP_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	msg := "chromium not found: install Debian's `chromium` package (make test does it as root)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// syncBuffer is a log buffer safe to read while the process writes it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// App is a running ketnap binary.
type App struct {
	URL     string
	DataDir string
	cmd     *exec.Cmd
	Log     *syncBuffer
}

// Password returns the password printed at the first start for a bootstrap user.
func (a *App) Password(t testing.TB, username string) string {
	t.Helper()
	// the process's output reaches the buffer through a pipe, maybe after /healthz answers
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for _, line := range strings.Split(a.Log.String(), "\n") {
			f := strings.Fields(line)
			if len(f) >= 2 && f[0] == username {
				return f[1]
			}
		}
	}
	t.Fatalf("no password printed for %s:\n%s", username, a.Log.String())
	return ""
}

// Login signs in through the login form.
func Login(ctx context.Context, baseURL, username, password string) error {
	return chromedp.Do(ctx,
		chromedp.Navigate(baseURL+"/dang-nhap"),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), username),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Submit(chromedp.CSS(`#password`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=who]`)),
	)
}

// FreePort returns a free TCP port on 127.0.0.1.
func FreePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Start builds ketnap and starts it on a free port with its own private
// PostgreSQL under a fresh data dir; it stops both when the test ends.
func Start(t testing.TB, env ...string) *App {
	t.Helper()
	tmp := Dir(t)
	return StartIn(t, Build(t, tmp), filepath.Join(tmp, "data"), env...)
}

// Dir returns a fresh folder the postgres user can reach (not t.TempDir():
// its parent is private to root), removed when the test ends.
func Dir(t testing.TB) string {
	t.Helper()
	tmp, err := os.MkdirTemp("", "ketnap-e2e-")
	if err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(tmp, 0o755)
	t.Cleanup(func() { os.RemoveAll(tmp) })
	return tmp
}

// Build compiles ketnap into dir and returns the binary's path.
func Build(t testing.TB, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "ketnap")
	build := exec.Command("go", "build", "-o", bin, "./cmd/ketnap")
	build.Dir = RepoRoot()
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// Kill ends the process with SIGKILL, as a crash would.
func (a *App) Kill() {
	_ = a.cmd.Process.Kill()
	_ = a.cmd.Wait()
}

// StartIn starts the binary on a free port with the given data dir and waits until it is healthy.
func StartIn(t testing.TB, bin, dataDir string, env ...string) *App {
	t.Helper()
	port := FreePort(t)
	app := &App{URL: fmt.Sprintf("http://127.0.0.1:%d", port), DataDir: dataDir, Log: &syncBuffer{}}
	app.cmd = exec.Command(bin, "serve")
	app.cmd.Env = append(os.Environ(), "DATABASE_URL=", fmt.Sprintf("KETNAP_ADDR=127.0.0.1:%d", port), "KETNAP_DATA_DIR="+app.DataDir)
	app.cmd.Env = append(app.cmd.Env, env...)
	app.cmd.Stdout, app.cmd.Stderr = app.Log, app.Log
	if err := app.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = app.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = app.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = app.cmd.Process.Kill()
		}
		if t.Failed() {
			t.Logf("ketnap log:\n%s", app.Log.String())
		}
	})
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(app.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return app
			}
		}
		if app.cmd.ProcessState != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("ketnap did not become healthy:\n%s", app.Log.String())
	return nil
}

// Browser returns a chromedp context on a fresh headless Chromium.
func Browser(t testing.TB, width, height int) context.Context {
	t.Helper()
	path := ChromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(cancel3)
	// headless windows have a minimum width; emulate the exact viewport
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("chromium: %v", err)
	}
	return ctx
}

// Screenshot saves a full-page PNG under test-artifacts.
func Screenshot(t testing.TB, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(ArtifactDir(t), name+".png")
	if err := os.WriteFile(p, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// axeVersion is the axe-core release the accessibility checks use (from the npm registry).
const axeVersion = "4.14.1"

// axeSource returns axe-core's script, installing it with npm under .cache when missing.
func axeSource(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(), ".cache")
	file := filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
	if _, err := os.Stat(file); err != nil {
		cmd := exec.Command("npm", "install", "--prefix", dir, "axe-core@"+axeVersion, "--no-audit", "--no-fund", "--silent")
		if out, err := cmd.CombinedOutput(); err != nil {
			msg := fmt.Sprintf("axe-core could not be installed with npm (%v): %s", err, out)
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// CheckAccessibility runs axe-core in the current page and fails the test on
// any serious or critical violation.
func CheckAccessibility(t testing.TB, ctx context.Context, page string) {
	t.Helper()
	src := axeSource(t)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		t.Fatalf("load axe-core: %v", err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ['violations']}).then(r =>
		r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
		 .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe-core on %s: %v", page, err)
	}
	for _, v := range found {
		t.Errorf("accessibility (%s): %s", page, v)
	}
}
