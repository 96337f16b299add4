package web

import (
	"fmt"
	"io"
	"ketnap/internal/admission"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The input gate: every query parameter and form value passes here before
// any handler. Invalid UTF-8, NUL and other control characters are refused
// with a Vietnamese 400; the request body is limited; a value longer than
// maxValue is refused. Each handler then applies its field's own limits
// (names 100 characters, notes 2 000, …) through the domain.

// maxBody is the largest form a request may carry (an upload is elsewhere).
const maxBody = 1 << 20

// maxValue is the longest single value any field takes.
const maxValue = 4000

// gate refuses hostile input before routing.
func (s *Server) gate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if msg := badValues(r.URL.Query()); msg != "" {
			s.renderError(w, r, http.StatusBadRequest, "Địa chỉ không hợp lệ", msg)
			return
		}
		if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
			body, err := io.ReadAll(r.Body)
			if err != nil {
				s.renderError(w, r, http.StatusRequestEntityTooLarge, "Dữ liệu quá lớn", "Dữ liệu gửi lên quá lớn.")
				return
			}
			form, err := url.ParseQuery(string(body))
			if err != nil {
				s.renderError(w, r, http.StatusBadRequest, "Dữ liệu không hợp lệ", "Không đọc được dữ liệu biểu mẫu.")
				return
			}
			if msg := badValues(form); msg != "" {
				s.renderError(w, r, http.StatusBadRequest, "Dữ liệu không hợp lệ", msg)
				return
			}
			r.Body = io.NopCloser(strings.NewReader(string(body)))
			if t := form.Get("token"); t != "" {
				// the domain writes one submit of each administration form
				r = r.WithContext(admission.WithFormToken(r.Context(), t))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// fieldLimits are the longest values of the fields, in characters: one
// table for every form and query (the domain refines some: a person's name
// is at most 100).
var fieldLimits = map[string]int{
	"full_name": 200, "name": 200, "label": 100, "username": 64, "password": 200, "current": 200, "new": 200, "again": 200,
	"document_no": 200, "issued_by": 300, "approval_ref": 200, "ethnicity": 100, "religion": 100, "occupation": 100,
	"education_professional": 100, "political_theory": 100, "code": 64, "q": 100, "ten": 100,
	"note": 2000, "reason": 2000, "correction_reason": 2000,
}

// fieldNames name the limited fields in a refusal.
var fieldNames = map[string]string{"full_name": "Họ và tên", "name": "Tên", "note": "Ghi chú", "reason": "Lý do", "correction_reason": "Lý do điều chỉnh",
	"document_no": "Số văn bản", "issued_by": "Nơi ban hành", "q": "Từ tìm kiếm"}

// badValues says what is wrong with the first hostile key or value, "" when none.
func badValues(v url.Values) string {
	for k, vs := range v {
		if msg := badValue(k); msg != "" {
			return msg
		}
		for _, x := range vs {
			if msg := badValue(x); msg != "" {
				return msg
			}
			if limit, ok := fieldLimits[k]; ok && utf8.RuneCountInString(x) > limit {
				name := fieldNames[k]
				if name == "" {
					name = "Một ô nhập"
				}
				return fmt.Sprintf("%s dài quá %d ký tự.", name, limit)
			}
		}
	}
	return ""
}

func badValue(s string) string {
	switch {
	case !utf8.ValidString(s):
		return "Dữ liệu có ký tự không đọc được (không phải UTF-8). Hãy gõ lại bằng bàn phím tiếng Việt Unicode."
	case utf8.RuneCountInString(s) > maxValue:
		return "Một ô nhập quá dài (tối đa 4 000 ký tự)."
	}
	for _, r := range s {
		if r == '\n' || r == '\r' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) {
			return "Dữ liệu có ký tự điều khiển không hợp lệ."
		}
	}
	return ""
}

// safeNext keeps only this site's paths, parsed and rebuilt, so the login
// form cannot send anyone elsewhere: no scheme, no host, no backslash, no
// control or blank character, nothing that a browser reads as another host.
func safeNext(next string) string {
	if next == "" || len(next) > 2000 || strings.ContainsAny(next, "\\") || strings.IndexFunc(next, func(r rune) bool {
		return unicode.IsControl(r) || unicode.IsSpace(r)
	}) >= 0 {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	out := (&url.URL{Path: u.Path, RawQuery: u.RawQuery}).String()
	if strings.HasPrefix(out, "//") || !strings.HasPrefix(out, "/") {
		return "/"
	}
	return out
}
