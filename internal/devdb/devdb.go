// Package devdb runs a private PostgreSQL cluster from the machine's own
// PostgreSQL binaries, for `ketnap serve` without DATABASE_URL and for tests.
//
// The cluster lives in a directory of its own, listens only on a Unix socket
// inside that directory, is reused on the next start, and is stopped by Stop.
// When ketnap runs as root, PostgreSQL (which refuses to run as root) runs as
// the `postgres` OS user.
package devdb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Superuser is the name of the cluster's superuser role.
const Superuser = "ketnap"

// port names the socket file (.s.PGSQL.<port>); no TCP port is opened.
const port = 5432

// Cluster is a private PostgreSQL cluster.
type Cluster struct {
	Dir       string // the cluster's data directory
	SocketDir string // where the Unix socket lives
	BinDir    string
	Log       *slog.Logger

	uid, gid int // the OS user PostgreSQL runs as; -1 for the current user
	started  bool
}

// Options say where the cluster lives and how to report.
type Options struct {
	// Dir is the cluster directory, e.g. ./data/postgres.
	Dir string
	Log *slog.Logger
}

// ErrNoBinaries is returned when no PostgreSQL server binaries are found.
var ErrNoBinaries = errors.New("không tìm thấy PostgreSQL (initdb, pg_ctl): cài gói Debian `postgresql` (apt-get install postgresql) hoặc đặt DATABASE_URL")

// FindBinDir locates initdb and pg_ctl: pg_config --bindir, then the usual
// Debian folders (newest version first), then PATH.
func FindBinDir() (string, error) {
	var dirs []string
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		dirs = append(dirs, strings.TrimSpace(string(out)))
	}
	if matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin"); len(matches) > 0 {
		for i := len(matches) - 1; i >= 0; i-- {
			dirs = append(dirs, matches[i])
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	for _, d := range dirs {
		if isExec(filepath.Join(d, "initdb")) && isExec(filepath.Join(d, "pg_ctl")) && isExec(filepath.Join(d, "postgres")) {
			return d, nil
		}
	}
	return "", ErrNoBinaries
}

func isExec(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// New prepares (but does not start) a cluster in opts.Dir. When running as
// root and the postgres user cannot reach opts.Dir (a clone inside /root, say),
// the cluster is placed under /var/lib/ketnap instead and a note file in
// opts.Dir says where it went.
func New(opts Options) (*Cluster, error) {
	bin, err := FindBinDir()
	if err != nil {
		return nil, err
	}
	log := opts.Log
	if log == nil {
		log = slog.Default()
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, err
	}
	c := &Cluster{Dir: dir, BinDir: bin, Log: log, uid: -1, gid: -1}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, errors.New("ketnap đang chạy với quyền root nhưng không có người dùng hệ thống `postgres` để chạy PostgreSQL: cài gói `postgresql` hoặc chạy ketnap bằng người dùng thường")
		}
		c.uid, _ = strconv.Atoi(u.Uid)
		c.gid, _ = strconv.Atoi(u.Gid)
		if !c.reachable(filepath.Dir(dir)) {
			sum := sha256.Sum256([]byte(dir))
			alt := filepath.Join("/var/lib/ketnap", hex.EncodeToString(sum[:6]), "postgres")
			log.Info("người dùng postgres không vào được thư mục dữ liệu; đặt cụm PostgreSQL ở nơi khác",
				"requested", dir, "cluster", alt)
			if err := os.MkdirAll(filepath.Dir(dir), 0o755); err == nil {
				note := "Cụm PostgreSQL riêng của ketnap nằm ở " + alt + "\n(người dùng postgres không vào được thư mục này).\n"
				_ = os.WriteFile(dir+".location", []byte(note), 0o644)
			}
			c.Dir = alt
		}
	}
	// A Unix socket path must stay under ~107 bytes.
	c.SocketDir = c.Dir
	if len(filepath.Join(c.SocketDir, ".s.PGSQL.5432.lock")) > 100 {
		sum := sha256.Sum256([]byte(c.Dir))
		c.SocketDir = filepath.Join(os.TempDir(), "ketnap-pg-"+hex.EncodeToString(sum[:6]))
	}
	return c, nil
}

// reachable reports whether the postgres user can traverse every folder up to dir.
func (c *Cluster) reachable(dir string) bool {
	for d := dir; ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err == nil {
			sys := st.Sys().(*syscall.Stat_t)
			mode := st.Mode().Perm()
			ok := mode&0o001 != 0 ||
				(int(sys.Uid) == c.uid && mode&0o100 != 0) ||
				(int(sys.Gid) == c.gid && mode&0o010 != 0)
			if !ok {
				return false
			}
		}
		if d == "/" || d == "." {
			return true
		}
	}
}

// ConnString returns a keyword/value connection string for database db.
func (c *Cluster) ConnString(db string) string {
	return fmt.Sprintf("host=%s port=%d user=%s dbname=%s sslmode=disable", c.SocketDir, port, Superuser, db)
}

// URL returns a postgres:// URL for database db.
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s&port=%d&sslmode=disable", Superuser, db, c.SocketDir, port)
}

func (c *Cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.BinDir, name), args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "LANG=C.UTF-8", "TZ=UTC")
	cmd.Dir = "/"
	if c.uid >= 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(c.uid), Gid: uint32(c.gid)}}
	}
	return cmd
}

func (c *Cluster) run(ctx context.Context, name string, args ...string) error {
	cmd := c.command(ctx, name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, strings.TrimSpace(out.String()))
	}
	return nil
}

func (c *Cluster) chown(p string) error {
	if c.uid < 0 {
		return nil
	}
	return os.Chown(p, c.uid, c.gid)
}

// Start creates the cluster when it does not exist yet, and starts it unless
// it is already running (left over from a ketnap that was killed). A stale
// postmaster.pid from a crash is handled by PostgreSQL itself.
func (c *Cluster) Start(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.Dir, "PG_VERSION")); errors.Is(err, fs.ErrNotExist) {
		if err := c.initdb(ctx); err != nil {
			return err
		}
	}
	if c.SocketDir != c.Dir {
		if err := os.MkdirAll(c.SocketDir, 0o700); err != nil {
			return err
		}
		if err := c.chown(c.SocketDir); err != nil {
			return err
		}
	}
	if c.running(ctx) {
		// Left running by a ketnap that was killed: adopt it if it answers.
		// A postmaster killed too leaves a stale postmaster.pid; then start anew.
		for i := 0; i < 20; i++ {
			if c.ready(ctx) {
				c.Log.Info("PostgreSQL riêng đang chạy sẵn, dùng lại", "dir", c.Dir)
				c.started = true
				return nil
			}
			if !c.running(ctx) {
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	logFile := filepath.Join(c.Dir, "postgres.log")
	opts := fmt.Sprintf("-c listen_addresses='' -k %s -p %d", c.SocketDir, port)
	if err := c.run(ctx, "pg_ctl", "-D", c.Dir, "-l", logFile, "-o", opts, "-w", "-t", "60", "start"); err != nil {
		tail, _ := os.ReadFile(logFile)
		if len(tail) > 2000 {
			tail = tail[len(tail)-2000:]
		}
		return fmt.Errorf("không khởi động được PostgreSQL riêng ở %s: %w\n%s", c.Dir, err, tail)
	}
	c.started = true
	c.Log.Info("đã khởi động PostgreSQL riêng", "dir", c.Dir, "socket", c.SocketDir)
	return nil
}

func (c *Cluster) running(ctx context.Context) bool {
	return c.command(ctx, "pg_ctl", "-D", c.Dir, "status").Run() == nil
}

func (c *Cluster) ready(ctx context.Context) bool {
	return c.command(ctx, "pg_isready", "-q", "-h", c.SocketDir, "-p", strconv.Itoa(port), "-U", Superuser, "-d", "postgres", "-t", "1").Run() == nil
}

func (c *Cluster) initdb(ctx context.Context) error {
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("tạo thư mục %s: %w", c.Dir, err)
	}
	if err := c.chown(c.Dir); err != nil {
		return err
	}
	if c.uid >= 0 {
		// the folders above a fresh /var/lib/ketnap placement
		for d := filepath.Dir(c.Dir); strings.HasPrefix(d, "/var/lib/ketnap"); d = filepath.Dir(d) {
			_ = os.Chmod(d, 0o755)
		}
	}
	c.Log.Info("tạo cụm PostgreSQL riêng", "dir", c.Dir)
	err := c.run(ctx, "initdb", "-D", c.Dir, "-U", Superuser, "--auth=trust", "-E", "UTF8",
		"--locale=C.UTF-8", "--no-instructions")
	if err != nil {
		return fmt.Errorf("initdb: %w", err)
	}
	// Small, fast settings for a private development/test cluster.
	conf := "\n# ketnap private cluster\nmax_connections = 200\nshared_buffers = 128MB\nfsync = on\nunix_socket_permissions = 0777\n"
	f, err := os.OpenFile(filepath.Join(c.Dir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString(conf)
	return err
}

// Replica makes a streaming replica of this running cluster in dir
// (pg_basebackup -R: it follows the primary from the moment of the copy)
// and returns it, not yet started.
func (c *Cluster) Replica(ctx context.Context, dir string) (*Cluster, error) {
	r, err := New(Options{Dir: dir, Log: c.Log})
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(r.Dir, 0o700); err != nil {
		return nil, err
	}
	if err := r.chown(r.Dir); err != nil {
		return nil, err
	}
	if err := c.run(ctx, "pg_basebackup", "-D", r.Dir, "-R", "-X", "stream", "-h", c.SocketDir, "-p", strconv.Itoa(port), "-U", Superuser); err != nil {
		return nil, fmt.Errorf("pg_basebackup: %w", err)
	}
	// the copy carries the primary's socket lock (its socket lives in its data folder)
	_ = os.Remove(filepath.Join(r.Dir, fmt.Sprintf(".s.PGSQL.%d.lock", port)))
	return r, nil
}

// SetFastUnsafe turns off fsync for throwaway test clusters. Call before Start.
func (c *Cluster) SetFastUnsafe() error {
	if _, err := os.Stat(filepath.Join(c.Dir, "PG_VERSION")); err != nil {
		if err := c.initdb(context.Background()); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(filepath.Join(c.Dir, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.WriteString("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
	return err
}

// Stop stops the cluster (fast shutdown) if this process started or adopted it.
func (c *Cluster) Stop() error {
	if !c.started {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := c.run(ctx, "pg_ctl", "-D", c.Dir, "-m", "fast", "-w", "stop"); err != nil {
		return err
	}
	c.started = false
	c.Log.Info("đã dừng PostgreSQL riêng", "dir", c.Dir)
	return nil
}
