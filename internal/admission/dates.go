package admission

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Day returns the calendar date y-m-d as a time at UTC midnight, the one form
// of a date used throughout ketnap.
func Day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DateOf returns the calendar date of t in its own location.
func DateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return Day(y, m, d)
}

// AddMonths adds n calendar months to d, clamping to the last day of the
// month (31/1 + 1 month = 28/2 or 29/2).
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	total := int(m) - 1 + n
	ny := y + total/12
	nm := total % 12
	if nm < 0 {
		nm += 12
		ny--
	}
	last := Day(ny, time.Month(nm+2), 0).Day()
	if day > last {
		day = last
	}
	return Day(ny, time.Month(nm+1), day)
}

// FullMonths returns the number of whole months from from to to: the largest
// n with AddMonths(from, n) not after to (age counted in full months).
func FullMonths(from, to time.Time) int {
	fy, fm, _ := from.Date()
	ty, tm, _ := to.Date()
	n := (ty-fy)*12 + int(tm-fm)
	for n > 0 && AddMonths(from, n).After(to) {
		n--
	}
	return n
}

// FormatDate writes d as dd/mm/yyyy; the zero date is empty.
func FormatDate(d time.Time) string {
	if d.IsZero() {
		return ""
	}
	return d.Format("02/01/2006")
}

// ParseDate reads dd/mm/yyyy (d/m/yyyy accepted) or yyyy-mm-dd and refuses impossible dates.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var parts []string
	var y, m, d int
	var err error
	switch {
	case strings.Count(s, "/") == 2:
		parts = strings.Split(s, "/")
		d, err = strconv.Atoi(parts[0])
		if err == nil {
			m, err = strconv.Atoi(parts[1])
		}
		if err == nil {
			y, err = strconv.Atoi(parts[2])
		}
		if err == nil && len(parts[2]) != 4 {
			err = fmt.Errorf("year")
		}
	case strings.Count(s, "-") == 2:
		parts = strings.Split(s, "-")
		y, err = strconv.Atoi(parts[0])
		if err == nil {
			m, err = strconv.Atoi(parts[1])
		}
		if err == nil {
			d, err = strconv.Atoi(parts[2])
		}
	default:
		err = fmt.Errorf("format")
	}
	if err != nil || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > Day(y, time.Month(m)+1, 0).Day() {
		return time.Time{}, fmt.Errorf("ngày %q không hợp lệ (viết theo dạng ngày/tháng/năm, ví dụ 05/09/2025)", s)
	}
	return Day(y, time.Month(m), d), nil
}
