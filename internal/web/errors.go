package web

import (
	"bytes"
	"net/http"
	"sync"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"

	"ketnap/internal/admission"
	"ketnap/templates"
)

// pageBuffers are the buffers pages are rendered into, kept for reuse:
// growing a fresh one to the size of a province's dashboard was a
// fourteenth of that page's time.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a component through a buffer, so that a template error never
// sends half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := pageBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // a rare huge page does not stay in memory
			pageBuffers.Put(buf)
		}
	}()
	if err := c.Render(r.Context(), buf); err != nil {
		s.Log.Error("render", "err", err, "path", r.URL.Path, "request_id", middleware.GetReqID(r.Context()))
		http.Error(w, "Lỗi hệ thống khi hiển thị trang.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// page returns the layout data for a request.
func (s *Server) page(r *http.Request, title, active string) templates.Page {
	p := templates.Page{Title: title, CSS: s.Assets.URL("app.css"), Icon: s.Assets.URL("favicon.svg"), PrintJS: s.Assets.URL("print.js"), Active: active}
	if a, ok := actorFrom(r.Context()); ok {
		p.User = &templates.UserView{Name: a.FullName, Role: admission.RoleLabels[a.Role],
			CanAudit: admission.Can(a, admission.ActViewAudit, a.ScopePath), IsAdmin: admission.Can(a, admission.ActAdminister, a.ScopePath),
			CanTarget: admission.Can(a, admission.ActSetTargets, a.ScopePath), CanImport: a.Role != admission.RoleViewer}
	}
	return p
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	s.render(w, r, status, templates.ErrorPage(s.page(r, title, ""), status, title, msg))
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "Không tìm thấy trang", "Trang hoặc hồ sơ này không tồn tại, hoặc nằm ngoài phạm vi bạn được xem.")
}

// fail is the one error path: it maps an error's code to a status and a
// Vietnamese page, and logs only what is not the user's doing.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch admission.ErrorCode(err) {
	case admission.NotFound:
		s.notFound(w, r)
	case admission.Forbidden:
		s.renderError(w, r, http.StatusForbidden, "Không có quyền", admission.MessageOf(err))
	case admission.Invalid:
		s.renderError(w, r, http.StatusUnprocessableEntity, "Dữ liệu chưa hợp lệ", admission.MessageOf(err))
	case admission.Conflict:
		s.renderError(w, r, http.StatusConflict, "Đã có thay đổi", admission.MessageOf(err))
	case admission.Unavailable:
		s.Log.Warn("database unavailable", "err", err, "path", r.URL.Path)
		w.Header().Set("Retry-After", "10")
		s.renderError(w, r, http.StatusServiceUnavailable, "Tạm thời gián đoạn", "Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Xin thử lại sau ít phút; dữ liệu đã ghi không bị mất.")
	default:
		s.Log.Error("internal error", "err", err, "path", r.URL.Path, "request_id", middleware.GetReqID(r.Context()))
		s.renderError(w, r, http.StatusInternalServerError, "Lỗi hệ thống", "Đã có lỗi ngoài dự kiến; lỗi đã được ghi lại. Hãy thử lại sau ít phút.")
	}
}
