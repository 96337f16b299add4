package templates

import "strconv"

// sponsorName is the form field name of sponsor slot i (0 or 1).
func sponsorName(i int, field string) string {
	return "sponsor" + strconv.Itoa(i+1) + "_" + field
}
