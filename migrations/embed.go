// Package migrations holds ketnap's goose SQL migrations, embedded in the binary.
package migrations

import "embed"

// FS holds every *.sql migration, applied in the order of its numeric prefix.
//
//go:embed *.sql
var FS embed.FS
