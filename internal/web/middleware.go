package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"ketnap/internal/admission"
)

// clientIP records the client address for logs and the audit trail. It is
// the TCP peer, unless the peer is the configured trusted proxy, in which case
// the last address of X-Forwarded-For is taken (the one the proxy added).
func (s *Server) clientIP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip, _, err := net.SplitHostPort(r.RemoteAddr)
		if err != nil {
			ip = r.RemoteAddr
		}
		if s.TrustedProxy != "" && ip == s.TrustedProxy {
			if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
				parts := strings.Split(xff, ",")
				if last := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(last) != nil {
					ip = last
				}
			}
		}
		ctx := admission.WithRequestMeta(r.Context(), admission.RequestMeta{IP: ip, RequestID: middleware.GetReqID(r.Context())})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		if r.URL.Path == "/healthz" && ww.Status() == http.StatusOK {
			return
		}
		m := admission.MetaFrom(r.Context())
		s.Log.Info("http", "method", r.Method, "path", r.URL.Path, "status", ww.Status(), "bytes", ww.BytesWritten(),
			"duration_ms", float64(s.now().Sub(start).Microseconds())/1000, "ip", m.IP, "request_id", m.RequestID)
	})
}

func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.Log.Error("panic", "err", fmt.Sprint(v), "path", r.URL.Path, "request_id", middleware.GetReqID(r.Context()), "stack", string(debug.Stack()))
				s.renderError(w, r, http.StatusInternalServerError, "Lỗi hệ thống", "Đã có lỗi ngoài dự kiến; lỗi đã được ghi lại. Hãy thử lại sau ít phút.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets a baseline: a Content-Security-Policy that allows
// only this host, no framing, no MIME sniffing, no referrer to other hosts.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if s.TLS {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses state-changing requests from other sites (Go's
// CrossOriginProtection, using Sec-Fetch-Site and Origin).
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "Yêu cầu bị từ chối", "Yêu cầu đến từ một trang khác nên không được thực hiện. Hãy mở ketnap trực tiếp và thử lại.")
	}))
	return cop.Handler(next)
}

// heavy runs reports, exports and imports a few at a time (one per
// processor, at least two): under a burst they queue instead of holding
// every result in memory at once, and one that waits too long is told to
// come back.
func (s *Server) heavy(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r, release, ok := s.heavySlot(w, r)
		if !ok {
			return
		}
		defer release()
		next.ServeHTTP(w, r)
	})
}

type heavyHeld struct{}

// heavySlot waits for one of the heavy slots, for a page that is heavy only
// at times (a report not yet counted); a request that holds one already
// keeps it. When it reports false, the "busy" page was written (or the
// client left) and the request ends.
func (s *Server) heavySlot(w http.ResponseWriter, r *http.Request) (*http.Request, func(), bool) {
	if r.Context().Value(heavyHeld{}) != nil {
		return r, func() {}, true
	}
	s.heavyOnce.Do(func() { s.heavySlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0))) })
	wait := s.HeavyWait
	if wait <= 0 {
		wait = 30 * time.Second
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case s.heavySlots <- struct{}{}:
		return r.WithContext(context.WithValue(r.Context(), heavyHeld{}, true)), func() { <-s.heavySlots }, true
	case <-t.C:
		w.Header().Set("Retry-After", "60")
		s.renderError(w, r, http.StatusServiceUnavailable, "Máy chủ đang bận", "Đang có nhiều báo cáo, tệp tải về hoặc tệp nhập cùng lúc. Vui lòng thử lại sau ít phút.")
	case <-r.Context().Done():
	}
	return r, nil, false
}
