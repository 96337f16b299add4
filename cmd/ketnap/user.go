package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"golang.org/x/term"

	"ketnap/internal/admission"
	"ketnap/internal/auth"
	"ketnap/internal/postgres"
)

// systemActor is who bootstrap and CLI changes are recorded as in the audit trail.
func systemActor(scopePath string) admission.Actor {
	return admission.Actor{Username: "ketnap", FullName: "Hệ thống (dòng lệnh)", Role: admission.RoleAdmin, ScopePath: scopePath}
}

func userCommand(ctx context.Context, args []string, stdin *os.File, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New("dùng: ketnap user create … | ketnap user reset-password … (xem ketnap --help)")
	}
	sub, args := args[0], args[1:]
	var username, role, scope, fullName string
	c, _, err := parse(args, stdout, func(fs *flag.FlagSet) {
		fs.StringVar(&username, "username", "", "username")
		fs.StringVar(&role, "role", "", "role")
		fs.StringVar(&scope, "scope", "", "scope organization code or id")
		fs.StringVar(&fullName, "full-name", "", "full name")
	})
	if err != nil {
		return err
	}
	log := newLogger(c, stderr)
	username = admission.NormalizeUsername(username)
	if username == "" {
		return errors.New("cần --username")
	}
	db, err := openDatabase(ctx, c, log, false)
	if err != nil {
		return err
	}
	defer db.release()
	root, err := db.RootPath(ctx)
	if err != nil {
		return err
	}
	switch sub {
	case "create":
		if admission.RoleLabels[admission.Role(role)] == "" {
			return fmt.Errorf("--role phải là admin, staff, secretary hoặc viewer")
		}
		if strings.TrimSpace(scope) == "" {
			return errors.New("cần --scope: mã tổ chức (ví dụ binh-ngoc-khu-1) hoặc số id")
		}
		org, err := db.OrganizationByCodeOrID(ctx, strings.TrimSpace(scope))
		if err != nil {
			return fmt.Errorf("không tìm thấy tổ chức %q (--scope nhận mã, ví dụ binh-ngoc-khu-1, hoặc số id)", scope)
		}
		if fullName == "" {
			fullName = username
		}
		hash, err := readPasswordHash(stdin, stdout)
		if err != nil {
			return err
		}
		svc := &admission.Service{DB: db.DB, Now: admission.SystemClock}
		u, err := svc.CreateUser(ctx, systemActor(root), admission.UserInput{Username: username, FullName: admission.NormalizeName(fullName),
			Role: admission.Role(role), ScopeOrgID: org.ID, Active: true, PasswordHash: hash})
		if err != nil {
			if admission.ErrorCode(err) == admission.Conflict {
				return fmt.Errorf("tên đăng nhập %q đã tồn tại", username)
			}
			return err
		}
		fmt.Fprintf(stdout, "Đã tạo người dùng %s (%s, phạm vi %s).\n", u.Username, admission.RoleLabels[u.Role], u.ScopeName)
	case "reset-password":
		u, err := db.UserByUsername(ctx, username)
		if err != nil {
			return fmt.Errorf("không có người dùng %q", username)
		}
		hash, err := readPasswordHash(stdin, stdout)
		if err != nil {
			return err
		}
		svc := &admission.Service{DB: db.DB, Now: admission.SystemClock}
		if err := svc.ResetPassword(ctx, systemActor(root), u.ID, hash); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã đặt mật khẩu mới cho %s; mọi phiên đăng nhập của người này đã kết thúc.\n", u.Username)
	default:
		return fmt.Errorf("không có lệnh user %q", sub)
	}
	return nil
}

// readPasswordHash reads a password (see readPassword) and returns its argon2id hash.
func readPasswordHash(stdin *os.File, stdout io.Writer) (string, error) {
	pw, err := readPassword(stdin, stdout)
	if err != nil {
		return "", err
	}
	return auth.Hash(pw, auth.DefaultParams)
}

// readPassword reads a password from a prompt without echo (twice), or the first line of stdin.
func readPassword(stdin *os.File, stdout io.Writer) (string, error) {
	var pw string
	if term.IsTerminal(int(stdin.Fd())) {
		fmt.Fprint(stdout, "Mật khẩu: ")
		a, err := term.ReadPassword(int(stdin.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", err
		}
		fmt.Fprint(stdout, "Nhập lại: ")
		b, err := term.ReadPassword(int(stdin.Fd()))
		fmt.Fprintln(stdout)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("hai lần nhập mật khẩu không khớp")
		}
		pw = string(a)
	} else {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		pw = strings.TrimRight(line, "\r\n")
	}
	if err := auth.ValidatePassword(pw); err != nil {
		return "", err
	}
	return pw, nil
}

// bootstrapUsers creates, on a database without users, an admin with a random
// password and one demo user per role, and prints their credentials once.
func bootstrapUsers(ctx context.Context, db *postgres.DB, svc *admission.Service, log *slog.Logger, w io.Writer) error {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	root, err := db.RootPath(ctx)
	if err != nil {
		return err
	}
	if root == "" {
		o, err := svc.CreateOrganization(ctx, admission.Actor{Username: "ketnap", Role: admission.RoleAdmin, ScopePath: "/"},
			admission.OrgInput{Kind: admission.KindCommittee, Name: "Đảng bộ phường", Code: "dang-bo", HasYouthUnion: true})
		if err != nil {
			return err
		}
		root = o.Path
		log.Info("đã tạo tổ chức gốc; đổi tên trong mục Quản trị", "name", o.Name)
	}
	rootID, err := db.RootID(ctx)
	if err != nil {
		return err
	}
	type spec struct {
		username, name string
		role           admission.Role
		scopeCode      string
	}
	specs := []spec{{"admin", "Quản trị viên", admission.RoleAdmin, ""}}
	if cell, err := db.OrganizationByCodeOrID(ctx, "binh-ngoc-khu-1"); err == nil {
		specs = append(specs,
			spec{"vanphong", "Nguyễn Thị Văn Phòng", admission.RoleStaff, ""},
			spec{"bithu.khu1", "Trần Văn Bí Thư", admission.RoleSecretary, cell.Code},
			spec{"xem", "Lê Văn Kiểm Tra", admission.RoleViewer, ""})
	}
	var lines []string
	for _, s := range specs {
		scope := rootID
		if s.scopeCode != "" {
			o, err := db.OrganizationByCodeOrID(ctx, s.scopeCode)
			if err != nil {
				return err
			}
			scope = o.ID
		}
		pw := auth.RandomPassword()
		hash, err := auth.Hash(pw, auth.DefaultParams)
		if err != nil {
			return err
		}
		if _, err := svc.CreateUser(ctx, systemActor(root), admission.UserInput{Username: s.username, FullName: s.name, Role: s.role,
			ScopeOrgID: scope, Active: true, PasswordHash: hash}); err != nil {
			return err
		}
		lines = append(lines, fmt.Sprintf("  %-12s %-16s %-28s", s.username, pw, admission.RoleLabels[s.role]))
	}
	fmt.Fprintln(w, "\nTài khoản đăng nhập (chỉ hiện một lần — hãy lưu lại; đổi bằng `ketnap user reset-password`):")
	fmt.Fprintf(w, "  %-12s %-16s %s\n", "tên", "mật khẩu", "vai trò")
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
	return nil
}
