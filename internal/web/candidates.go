package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"ketnap/internal/admission"
)

func candidateHref(id int64) string { return "/quan-chung/" + strconv.FormatInt(id, 10) }

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// postWithID starts a POST handler on /…/{id}: the id, the parsed form and
// the actor; ok is false when it has already answered.
func (s *Server) postWithID(w http.ResponseWriter, r *http.Request) (int64, admission.Actor, bool) {
	id, ok := idParam(r)
	if !ok {
		s.notFound(w, r)
		return 0, admission.Actor{}, false
	}
	if err := parseForm(w, r); err != nil {
		s.fail(w, r, err)
		return 0, admission.Actor{}, false
	}
	a, err := s.actor(r)
	if err != nil {
		s.fail(w, r, err)
		return 0, a, false
	}
	return id, a, true
}

// pageLink returns the URL of page p of a list, keeping its other query parameters.
func pageLink(path string, q url.Values, key string, p int) string {
	return withParam(path, q, key, strconv.Itoa(p))
}

// withParam is path with the query q and key set to value (without the page number of a download).
func withParam(path string, q url.Values, key, value string) string {
	qq := url.Values{}
	for k, vs := range q {
		qq[k] = vs
	}
	if key == "dinh-dang" {
		qq.Del("trang")
	}
	qq.Set(key, value)
	return path + "?" + qq.Encode()
}

func idParam(r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	return id, err == nil && id > 0
}

func yesNo(b bool) string {
	if b {
		return "Có"
	}
	return "Không"
}

// ict is Vietnam's time zone, in which "today" and times are shown.
var ict = admission.Vietnam

func holidayDays(hs []admission.Holiday) []time.Time {
	out := make([]time.Time, len(hs))
	for i, h := range hs {
		out[i] = h.Day
	}
	return out
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
