package main

import "testing"

// pgbench gets the database URL without the pool's own options, which
// libpq refuses, and with every other option kept.
func TestLibpqURLDropsThePoolOptions(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://ketnap@/ketnap?host=/tmp/pg&pool_max_conns=8":        "postgres://ketnap@/ketnap?host=%2Ftmp%2Fpg",
		"postgres://k:s@db:5432/ketnap?pool_min_conns=2&sslmode=require": "postgres://k:s@db:5432/ketnap?sslmode=require",
		"postgres://ketnap@/ketnap?host=/tmp/pg":                         "postgres://ketnap@/ketnap?host=%2Ftmp%2Fpg",
	} {
		if got := libpqURL(in); got != want {
			t.Errorf("libpqURL(%q) = %q, want %q", in, got, want)
		}
	}
}
