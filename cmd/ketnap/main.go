// Command ketnap serves the ketnap web application and runs its maintenance
// subcommands (migrate, demo).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
)

// setting is one configuration value: an environment variable with a flag of the same meaning.
type setting struct {
	env, flag, def, help string
	value                *string
}

// config holds every setting of ketnap.
type config struct {
	DatabaseURL  string
	Addr         string
	DataDir      string
	TrustedProxy string
	TLSCert      string
	TLSKey       string
	Demo         string
	LogLevel     string
	LogFormat    string
	BackupDir    string
	BackupKeep   string
	ImportMaxMB  string
	ReplicaURL   string
}

func (c *config) settings() []setting {
	return []setting{
		{"DATABASE_URL", "database-url", "", "PostgreSQL URL; empty: a private PostgreSQL under <data-dir>/postgres", &c.DatabaseURL},
		{"KETNAP_ADDR", "addr", ":8080", "address to listen on", &c.Addr},
		{"KETNAP_DATA_DIR", "data-dir", "./data", "folder for the private PostgreSQL and the run lock", &c.DataDir},
		{"KETNAP_TRUSTED_PROXY", "trusted-proxy", "", "IP of a reverse proxy whose X-Forwarded-For is believed", &c.TrustedProxy},
		{"KETNAP_TLS_CERT", "tls-cert", "", "TLS certificate file (PEM); with tls-key, serve HTTPS", &c.TLSCert},
		{"KETNAP_TLS_KEY", "tls-key", "", "TLS private key file (PEM)", &c.TLSKey},
		{"KETNAP_DEMO", "demo", "auto", "auto: load demo data when the database is empty; off: never", &c.Demo},
		{"KETNAP_LOG_LEVEL", "log-level", "info", "debug, info, warn or error", &c.LogLevel},
		{"KETNAP_LOG_FORMAT", "log-format", "text", "text or json", &c.LogFormat},
		{"KETNAP_BACKUP_DIR", "backup-dir", "", "serve: back up daily into this folder (and verify the audit chain); empty: no daily backup", &c.BackupDir},
		{"KETNAP_BACKUP_KEEP", "backup-keep", "14", "how many daily backups to keep", &c.BackupKeep},
		{"KETNAP_IMPORT_MAX_MB", "import-max-mb", "10", "largest file the Excel import takes, in MB", &c.ImportMaxMB},
		{"KETNAP_REPLICA_URL", "replica-url", "", "PostgreSQL URL of a streaming replica that serves reports, downloads and lists; empty: the primary serves all", &c.ReplicaURL},
	}
}

const usageHead = `ketnap — theo dõi quy trình kết nạp đảng viên (party admission tracking)

Usage:
  ketnap [serve] [flags]          serve the web application (default)
  ketnap migrate [up|down|status] apply, roll back one, or list migrations
  ketnap demo [flags]             load the demo ward "Đảng bộ phường Bình Ngọc" (idempotent)
  ketnap demo --scale S           generate a province for load tests: ward, province or national
  ketnap load [--clients N] [--duration D] [--pages TEXT] [--sql-dir DIR] [--cpuprofile FILE]
                                  drive the pages of a generated province on 127.0.0.1 and
                                  compare each with its own SQL run by pgbench
  ketnap user create --username U --role admin|staff|secretary|viewer --scope ORG-CODE [--full-name "..."]
                                  add a user; the password is read from a prompt or stdin, never a flag
  ketnap user reset-password --username U
                                  set a new password (prompt or stdin) and end the user's sessions
  ketnap backup [--to DIR]        write a consistent dump and its manifest (row counts, checksum), default DATA-DIR/backups
  ketnap restore FILE             restore a backup (its .json or .dump) into the configured database, which must be empty
  ketnap audit verify             walk the audit trail's hash chain and name the first event changed or deleted
  ketnap audit archive --before YYYY-MM [--to DIR]
                                  write the audit months before YYYY-MM to files (CSV and manifest, oldest
                                  first, default DATA-DIR/audit-archives) and take them from the database
  ketnap --help                   this help

Settings (environment variable, or the flag of the same meaning; a flag wins):
`

func usage(w io.Writer, c *config) {
	fmt.Fprint(w, usageHead)
	for _, s := range c.settings() {
		def := s.def
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(w, "  %-22s --%-15s %s (default %s)\n", s.env, s.flag, s.help, def)
	}
}

// parse reads settings from the environment, then from flags; extra registers
// a subcommand's own flags.
func parse(args []string, stderr io.Writer, extra ...func(*flag.FlagSet)) (*config, []string, error) {
	c := &config{}
	fs := flag.NewFlagSet("ketnap", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	for _, e := range extra {
		e(fs)
	}
	for _, s := range c.settings() {
		v := s.def
		if e, ok := os.LookupEnv(s.env); ok {
			v = e
		}
		fs.StringVar(s.value, s.flag, v, s.help)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stderr, c)
			return nil, nil, flag.ErrHelp
		}
		usage(stderr, c)
		return nil, nil, err
	}
	switch c.Demo {
	case "auto", "off":
	default:
		return nil, nil, fmt.Errorf("KETNAP_DEMO phải là auto hoặc off, không phải %q", c.Demo)
	}
	switch strings.ToLower(c.LogLevel) {
	case "debug", "info", "warn", "error":
	default:
		return nil, nil, fmt.Errorf("KETNAP_LOG_LEVEL phải là debug, info, warn hoặc error, không phải %q", c.LogLevel)
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		return nil, nil, fmt.Errorf("KETNAP_LOG_FORMAT phải là text hoặc json, không phải %q", c.LogFormat)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return nil, nil, errors.New("cần cả KETNAP_TLS_CERT và KETNAP_TLS_KEY để bật HTTPS")
	}
	return c, fs.Args(), nil
}

func newLogger(c *config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		fmt.Fprintln(os.Stderr, "ketnap:", err)
		os.Exit(1)
	}
}

// memoryLimit is the Go heap's soft limit for serving, unless GOMEMLIMIT
// says otherwise. Without it the collector lets the heap grow to twice what
// was live at its last run: a login's 64 MiB password hash, live at that
// moment, let the process grow past 200 MB before the next collection.
const memoryLimit = 110 << 20

func boundMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" {
		usage(stdout, &config{})
		return nil
	}
	if cmd == "user" {
		return userCommand(ctx, args, os.Stdin, stdout, stderr)
	}
	var backupTo, scale string
	var lo loadOptions
	c, rest, err := parse(args, stdout, func(fs *flag.FlagSet) {
		if cmd == "backup" {
			fs.StringVar(&backupTo, "to", "", "thư mục ghi bản sao lưu")
		}
		if cmd == "demo" {
			fs.StringVar(&scale, "scale", "", "ward, province or national: generate a province of that size for load tests")
		}
		if cmd == "load" {
			lo.register(fs)
		}
	})
	if err != nil {
		return err
	}
	if backupTo != "" {
		rest = append([]string{"--to", backupTo}, rest...)
	}
	log := newLogger(c, stderr)
	switch cmd {
	case "serve":
		boundMemory()
		return serve(ctx, c, log)
	case "migrate":
		sub := "up"
		if len(rest) > 0 {
			sub = rest[0]
		}
		return migrate(ctx, c, log, sub, stdout)
	case "demo":
		if scale != "" {
			return generateScale(ctx, c, log, scale, stdout)
		}
		return loadDemo(ctx, c, log, stdout)
	case "backup":
		return backupCommand(ctx, c, log, rest, stdout)
	case "restore":
		return restoreCommand(ctx, c, log, rest, stdout)
	case "audit":
		return auditCommand(ctx, c, log, rest, stdout)
	case "load":
		boundMemory()
		return loadCommand(ctx, c, log, lo, stdout)
	}
	usage(stderr, c)
	return fmt.Errorf("không có lệnh %q", cmd)
}
