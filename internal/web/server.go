// Package web is ketnap's HTTP layer: the chi router, middleware, handlers
// (one file per resource) and the one function that turns errors into pages.
package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"

	"ketnap/internal/admission"
	"ketnap/internal/auth"
	assets "ketnap/web"
)

// Server holds the dependencies of the handlers: reads through Queries,
// sign-in through Sessions, and every write through the domain service.
type Server struct {
	DB     Queries
	Auth   Sessions
	Svc    *admission.Service
	Log    *slog.Logger
	Assets *assets.Assets
	// TrustedProxy, when set, is the address of a reverse proxy whose
	// X-Forwarded-For is believed; otherwise the client address is the peer's.
	TrustedProxy string
	// TLS says the server is reached over HTTPS (Secure cookies, HSTS).
	TLS bool
	Now func() time.Time
	// HashParams are argon2id's costs for new passwords (auth.DefaultParams when zero).
	HashParams auth.Params
	// Session lifetimes (DefaultIdleTimeout, DefaultAbsoluteTimeout when zero).
	IdleTimeout, AbsoluteTimeout time.Duration
	// ImportMaxBytes is the largest import file (maxImportBytes when zero).
	ImportMaxBytes int64
	// Replica, when set, is a streaming replica that serves the reports,
	// their downloads and the lists; writes, sessions and the pages that
	// show a file (where one's own write must show at once) use DB.
	Replica Queries
	// HeavyWait is how long a report or an export waits for its turn
	// (30 s when zero); heavy pages run a few at a time.
	HeavyWait  time.Duration
	heavyOnce  sync.Once
	heavySlots chan struct{}
	states     stateMemo
}

// reader is where reports and lists read: the replica when there is one.
func (s *Server) reader() Queries {
	if s.Replica != nil {
		return s.Replica
	}
	return s.DB
}

func (s *Server) now() time.Time { return s.Now() }

// compressor compresses pages and text downloads (4–15× smaller) at the
// fastest level: level 5 took a quarter of the process's CPU on a province
// dashboard for 20 % fewer bytes. The encoders are klauspost/compress's:
// the standard library's took 0.50 ms for a province dashboard's 265 KB of
// HTML, about a fifth of the process's CPU on that page, and these take
// 0.22 ms for the same bytes on the wire. The log counts the bytes on the
// wire.
func compressor() *middleware.Compressor {
	c := middleware.NewCompressor(1, "text/html", "text/css", "text/javascript", "application/javascript", "text/csv", "image/svg+xml", "text/plain")
	c.SetEncoder("deflate", func(w io.Writer, level int) io.Writer {
		fw, _ := flate.NewWriter(w, level)
		return fw
	})
	c.SetEncoder("gzip", func(w io.Writer, level int) io.Writer {
		gw, _ := gzip.NewWriterLevel(w, level)
		return gw
	})
	return c
}

// Routes returns the application's handler.
func (s *Server) Routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(s.clientIP)
	r.Use(s.logRequests)
	r.Use(compressor().Handler)
	r.Use(s.recoverPanics)
	r.Use(s.securityHeaders)
	r.Use(s.crossOrigin)
	r.Use(s.gate)

	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusMethodNotAllowed, "Không hỗ trợ", "Trang này không nhận yêu cầu kiểu này.")
	})
	r.Get("/healthz", s.healthz)
	r.Get("/static/{name}", s.static)

	r.Group(func(r chi.Router) {
		r.Use(s.loadSession)
		r.Get("/dang-nhap", s.loginPage)
		r.Post("/dang-nhap", s.login)
		r.Group(func(r chi.Router) {
			r.Use(s.requireUser)
			r.Post("/dang-xuat", s.logout)
			r.Get("/mat-khau", s.passwordPage)
			r.Post("/mat-khau", s.changePassword)
			r.Get("/", s.dashboard)
			r.Get("/to-chuc", s.treePage)
			r.Get("/to-chuc/{id}", s.cellPage)
			r.Get("/quan-chung", s.candidatesPage)
			r.Get("/quan-chung/{id}", s.candidatePage)
			r.Get("/quan-chung/{id}/giay-to/{mau}", s.paperPage)
			r.With(s.heavy).Get("/viec-can-lam", s.queuePage)
			r.With(s.requireRole(admission.RoleStaff, admission.RoleAdmin, admission.RoleViewer)).Get("/nhat-ky", s.auditPage)
			r.Get("/bao-cao", s.reportPage) // heavy only when counted (loadReport)
			r.Get("/chi-tieu", s.targetsPage)
			r.With(s.heavy).Get("/bao-cao/in", s.reportPrint)
			r.With(s.heavy).Get("/bao-cao/tai-ve", s.reportDownload)
			r.With(s.heavy).Get("/bao-cao/danh-sach", s.reportList)
			r.Group(func(r chi.Router) {
				r.Use(s.requireRole(admission.RoleAdmin, admission.RoleStaff, admission.RoleSecretary))
				r.Get("/quan-chung/moi", s.newCandidatePage)
				r.Post("/quan-chung", s.createCandidate)
				r.Post("/quan-chung/{id}/buoc", s.recordStep)
				r.Get("/quan-chung/{id}/ho-so", s.editProfilePage)
				r.Post("/quan-chung/{id}/ho-so", s.updateProfile)
				r.Get("/to-chuc/{id}/dang-vien/moi", s.newMemberPage)
				r.Post("/to-chuc/{id}/dang-vien", s.createMember)
				r.Get("/dang-vien/{id}", s.editMemberPage)
				r.Post("/dang-vien/{id}", s.updateMember)
				r.Get("/nhap-du-lieu", s.importPage)
				r.With(s.heavy).Post("/nhap-du-lieu", s.upload)
				r.With(s.heavy).Post("/nhap-du-lieu/xac-nhan", s.applyImport)
				r.Get("/nhap-du-lieu/mau", s.importTemplate)
				r.With(s.heavy).Get("/nhap-du-lieu/xuat", s.importExport)
				r.Get("/quan-chung/hang-loat", s.bulkForm)
				r.Post("/quan-chung/hang-loat", s.bulkStep)
			})
			r.Group(func(r chi.Router) {
				r.Use(s.requireRole(admission.RoleAdmin, admission.RoleStaff))
				r.Get("/danh-muc", s.vocabPage)
				r.Get("/quy-tac", s.ruleSetsPage)
				r.Get("/quy-tac/moi", s.newRuleSetPage)
				r.Post("/quy-tac", s.addRuleSet)
				r.Post("/dang-vien/{id}/bien-dong", s.recordMemberEvent)
				r.Post("/chi-tieu", s.saveTargets)
				r.Get("/quan-chung/{id}/buoc/{step}/dieu-chinh", s.correctionPage)
				r.Post("/quan-chung/{id}/buoc/{step}/dieu-chinh", s.correctStep)
				r.Post("/quan-chung/{id}/chuyen-chi-bo", s.moveCandidate)
			})
			r.Route("/quan-tri", func(r chi.Router) {
				r.Use(s.requireRole(admission.RoleAdmin))
				r.Get("/nguoi-dung", s.usersPage)
				r.Get("/nguoi-dung/moi", s.newUserPage)
				r.Post("/nguoi-dung", s.createUser)
				r.Get("/nguoi-dung/{id}", s.editUserPage)
				r.Post("/nguoi-dung/{id}", s.updateUser)
				r.Post("/nguoi-dung/{id}/mat-khau", s.resetPassword)
				r.Get("/to-chuc", s.orgsPage)
				r.Post("/to-chuc", s.createOrg)
				r.Post("/to-chuc/{id}", s.updateOrg)
				r.Get("/ngay-nghi", s.holidaysPage)
				r.Post("/danh-muc", s.addVocabEntry)
				r.Post("/ngay-nghi", s.saveHoliday)
				r.Post("/ngay-nghi/xoa", s.deleteHoliday)
			})
		})
	})
	return r
}

// healthz answers 200 when the database answers, 503 otherwise.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.DB.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	a, ok := s.Assets.ByHashedName(chi.URLParam(r, "name"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ContentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(a.Body)
}
