package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"ketnap/internal/admission"
)

// FuzzReadStepForm: any form body gives a step input or field messages,
// never a panic; a date it reads writes back as itself.
func FuzzReadStepForm(f *testing.F) {
	for _, s := range []string{"kind=cell_resolution&occurred_on=20%2F11%2F2026&votes_eligible=9&votes_yes=7",
		"kind=introduction&sponsor1_id=5&sponsor1_since=01.01.2015&route=two_sponsors", "votes_yes=-1&votes_present=99999999999",
		"occurred_on=31%2F02%2F2026", "version=abc", "", "%zz", "sponsor2_id=1&sponsor2_since="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		r := &http.Request{Method: "POST", PostForm: form, Form: form}
		in, vals, errs := readStepForm(r)
		if !in.OccurredOn.IsZero() {
			if d, err := admission.ParseDate(admission.FormatDate(in.OccurredOn)); err != nil || !d.Equal(in.OccurredOn) {
				t.Fatalf("date %s does not read back", in.OccurredOn)
			}
		}
		if in.VotesEligible < 0 || in.VotesYes < 0 {
			t.Fatalf("a negative count read without a message: %+v %v", in, errs)
		}
		for k, v := range vals {
			if v != strings.TrimSpace(r.PostForm.Get(k)) {
				t.Fatalf("%s read as %q from %q", k, v, r.PostForm.Get(k))
			}
		}
	})
}

// FuzzGate: a value is refused or let through, never a panic; what passes
// is valid UTF-8 without control characters other than tab and newlines.
func FuzzGate(f *testing.F) {
	for _, s := range []string{"Nguyễn Văn Bình", "a\x00b", "\xff", "dòng 1\ndòng 2", "\u200b", "\x7f", "ghi chú dài"} {
		f.Add("full_name", s)
		f.Add("note", s)
	}
	f.Fuzz(func(t *testing.T, key, value string) {
		msg := badValues(url.Values{key: {value}})
		if msg != "" {
			if !utf8.ValidString(msg) {
				t.Fatalf("message not UTF-8: %q", msg)
			}
			return
		}
		if !utf8.ValidString(value) || !utf8.ValidString(key) || strings.ContainsAny(value, "\x00\x07\x1b\x7f") {
			t.Fatalf("let through %q=%q", key, value)
		}
	})
}
