package admission

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NormalizeName returns s in Unicode NFC with surrounding and repeated
// spaces removed, and without invisible formatting characters (zero-width
// spaces and joiners, right-to-left marks) or control characters.
func NormalizeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) || (unicode.IsControl(r) && r != '\t' && r != '\n') {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(norm.NFC.String(s)), " ")
}

// HasLetter reports whether s contains a letter: a name is more than marks.
func HasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

// SearchKey returns the lower-case form of s without diacritics, with đ as d,
// so that "thuan" finds "Hoàng Thị Thuận" and "duc" finds "Đức".
func SearchKey(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			b.WriteRune('d')
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// PersonName normalizes a person's name and, when it was typed all in lower
// or all in upper case ("nguyễn văn bình", "NGUYỄN VĂN BÌNH"), writes each
// word with a capital ("Nguyễn Văn Bình"). A name typed in mixed case is
// kept as typed.
func PersonName(s string) string {
	s = NormalizeName(s)
	if s != strings.ToLower(s) && s != strings.ToUpper(s) {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

// Slug turns a label into ASCII words joined by dashes, for codes and file
// names: "Chi bộ khu 2" → "chi-bo-khu-2".
func Slug(s string) string {
	var b strings.Builder
	for _, r := range SearchKey(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}
