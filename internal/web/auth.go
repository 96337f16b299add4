package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"ketnap/internal/admission"
	"ketnap/internal/auth"
	"ketnap/templates"
)

const sessionCookie = "ketnap_session"

// Session lifetimes: a session ends after IdleTimeout without a request, and
// in any case AbsoluteTimeout after login.
const (
	DefaultIdleTimeout     = 60 * time.Minute
	DefaultAbsoluteTimeout = 12 * time.Hour
)

type actorKey struct{}

type mustChangeKey struct{}

// actor returns the signed-in actor of a request (requireUser guarantees one).
func (s *Server) actor(r *http.Request) (admission.Actor, error) {
	a, ok := r.Context().Value(actorKey{}).(admission.Actor)
	if !ok {
		return a, &admission.Error{Code: admission.Forbidden, Message: "Cần đăng nhập."}
	}
	return a, nil
}

func actorFrom(ctx context.Context) (admission.Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(admission.Actor)
	return a, ok
}

func (s *Server) idle() time.Duration {
	if s.IdleTimeout > 0 {
		return s.IdleTimeout
	}
	return DefaultIdleTimeout
}

func (s *Server) absolute() time.Duration {
	if s.AbsoluteTimeout > 0 {
		return s.AbsoluteTimeout
	}
	return DefaultAbsoluteTimeout
}

// loadSession puts the signed-in actor, if any, in the request context.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" || len(c.Value) > 100 {
			next.ServeHTTP(w, r)
			return
		}
		a, mustChange, err := s.Auth.SessionActor(r.Context(), auth.TokenHash(c.Value), s.now(), s.idle())
		switch admission.ErrorCode(err) {
		case "":
			ctx := context.WithValue(r.Context(), actorKey{}, a)
			ctx = context.WithValue(ctx, mustChangeKey{}, mustChange)
			next.ServeHTTP(w, r.WithContext(ctx))
		case admission.NotFound:
			s.clearCookie(w)
			next.ServeHTTP(w, r)
		default:
			s.fail(w, r, err)
		}
	})
}

// requireUser sends anonymous requests to the login page.
func (s *Server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := actorFrom(r.Context()); !ok {
			target := "/dang-nhap"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		// a password handed out by an admin is changed before anything else
		if must, _ := r.Context().Value(mustChangeKey{}).(bool); must && r.URL.Path != "/mat-khau" && r.URL.Path != "/dang-xuat" {
			http.Redirect(w, r, "/mat-khau", http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireRole refuses, with 403, the signed-in users whose role is not listed.
func (s *Server) requireRole(roles ...admission.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			a, _ := actorFrom(r.Context())
			if !slices.Contains(roles, a.Role) {
				s.renderError(w, r, http.StatusForbidden, "Không có quyền", "Vai trò của bạn không được dùng chức năng này.")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func (s *Server) setCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.TLS,
		SameSite: http.SameSiteLaxMode, MaxAge: int(s.absolute().Seconds())})
}

func (s *Server) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.TLS,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := actorFrom(r.Context()); ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	v := templates.LoginView{Next: safeNext(r.URL.Query().Get("next"))}
	if r.URL.Query().Get("da-thoat") == "1" {
		v.Notice = "Bạn đã đăng xuất."
	}
	s.render(w, r, http.StatusOK, templates.LoginPage(s.page(r, "Đăng nhập", ""), v))
}

// msgBadLogin never says whether the username exists.
const msgBadLogin = "Tên đăng nhập hoặc mật khẩu không đúng."

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	username := admission.NormalizeUsername(r.PostForm.Get("username"))
	password := r.PostForm.Get("password")
	v := templates.LoginView{Username: username, Next: safeNext(r.PostForm.Get("next"))}
	ctx := r.Context()
	ip := admission.MetaFrom(ctx).IP
	now := s.now()
	refuse := func(status int, msg string) {
		v.Error = msg
		s.render(w, r, status, templates.LoginPage(s.page(r, "Đăng nhập", ""), v))
	}
	if username == "" || password == "" {
		refuse(http.StatusUnprocessableEntity, "Nhập tên đăng nhập và mật khẩu.")
		return
	}
	th, err := s.Auth.LoginThrottle(ctx, username, ip, now)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if th.Locked {
		refuse(http.StatusTooManyRequests, "Đăng nhập sai quá nhiều lần: tạm khóa khoảng 15 phút. Nếu quên mật khẩu, liên hệ quản trị viên.")
		return
	}
	if th.Wait > 0 {
		w.Header().Set("Retry-After", itoa(int64(th.Wait.Seconds())+1))
		refuse(http.StatusTooManyRequests, "Đăng nhập sai nhiều lần: vui lòng đợi "+itoa(int64(th.Wait.Seconds())+1)+" giây rồi thử lại.")
		return
	}
	u, err := s.Auth.UserByUsername(ctx, username)
	ok := false
	switch {
	case err == nil:
		ok, err = auth.Verify(password, u.PasswordHash)
		if err != nil {
			s.Log.Error("stored password hash unreadable", "user", u.ID, "err", err)
		}
		ok = ok && u.Active
	case admission.ErrorCode(err) == admission.NotFound:
		auth.VerifyDummy(password)
	default:
		s.fail(w, r, err)
		return
	}
	if !ok {
		reason := "wrong_password"
		switch {
		case u.ID == 0:
			reason = "unknown_user"
		case !u.Active:
			reason = "inactive"
		}
		if err := s.Auth.LoginFailed(ctx, username, ip, u.ID, s.auditOrg(ctx, u), now, reason); err != nil {
			s.fail(w, r, err)
			return
		}
		refuse(http.StatusUnauthorized, msgBadLogin)
		return
	}
	var old []byte
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		old = auth.TokenHash(c.Value)
	}
	token, hash := auth.NewToken()
	if err := s.Auth.Login(ctx, u, old, hash, ip, r.UserAgent(), now, now.Add(s.absolute())); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, token)
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// auditOrg is the organization a login event is filed under: the user's
// scope, or the first root for unknown usernames (so ward admins see them).
func (s *Server) auditOrg(ctx context.Context, u admission.User) int64 {
	if u.ScopeOrgID != 0 {
		return u.ScopeOrgID
	}
	id, _ := s.DB.RootID(ctx)
	return id
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	a, _ := s.actor(r)
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if err := s.Auth.Logout(r.Context(), a, auth.TokenHash(c.Value)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.clearCookie(w)
	http.Redirect(w, r, "/dang-nhap?da-thoat=1", http.StatusSeeOther)
}

// parseForm reads a form body of at most 1 MiB.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &admission.Error{Code: admission.Invalid, Message: "Dữ liệu gửi lên quá lớn."}
		}
		return &admission.Error{Code: admission.Invalid, Message: "Không đọc được dữ liệu biểu mẫu."}
	}
	return nil
}

func (s *Server) passwordPage(w http.ResponseWriter, r *http.Request) {
	v := templates.PasswordView{}
	if must, _ := r.Context().Value(mustChangeKey{}).(bool); must {
		v.Notice = "Mật khẩu của bạn do quản trị viên cấp: hãy đặt mật khẩu mới trước khi tiếp tục."
	}
	s.render(w, r, http.StatusOK, templates.PasswordPage(s.page(r, "Đổi mật khẩu", ""), v))
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return
	}
	a, _ := s.actor(r)
	ctx := r.Context()
	current, next, again := r.PostForm.Get("current"), r.PostForm.Get("new"), r.PostForm.Get("again")
	v := templates.PasswordView{Errors: map[string]string{}}
	ip := admission.MetaFrom(ctx).IP
	th, err := s.Auth.LoginThrottle(ctx, a.Username, ip, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if th.Locked || th.Wait > 0 {
		v.Errors["current"] = "Nhập sai nhiều lần: vui lòng đợi rồi thử lại."
		s.render(w, r, http.StatusTooManyRequests, templates.PasswordPage(s.page(r, "Đổi mật khẩu", ""), v))
		return
	}
	u, err := s.Auth.UserByUsername(ctx, a.Username)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if ok, _ := auth.Verify(current, u.PasswordHash); !ok {
		if err := s.Auth.LoginFailed(ctx, a.Username, ip, a.UserID, a.ScopeOrgID, s.now(), "wrong_current_password"); err != nil {
			s.fail(w, r, err)
			return
		}
		v.Errors["current"] = "Mật khẩu hiện tại không đúng."
	}
	if err := auth.ValidatePassword(next); err != nil {
		v.Errors["new"] = err.Error()
	} else if next == current {
		v.Errors["new"] = "Mật khẩu mới phải khác mật khẩu hiện tại."
	}
	if again != next {
		v.Errors["again"] = "Hai lần nhập mật khẩu mới không khớp."
	}
	if len(v.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, templates.PasswordPage(s.page(r, "Đổi mật khẩu", ""), v))
		return
	}
	hash, err := auth.Hash(next, s.hashParams())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var keep []byte
	if c, err := r.Cookie(sessionCookie); err == nil {
		keep = auth.TokenHash(c.Value)
	}
	if err := okIfSubmitted(s.Svc.ChangeOwnPassword(ctx, a, hash, keep)); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/?da-doi-mat-khau=1", http.StatusSeeOther)
}
