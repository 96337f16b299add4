package auth_test

import (
	"strings"
	"testing"

	"ketnap/internal/auth"
)

var cheap = auth.Params{Time: 1, MemoryKiB: 8 * 1024, Threads: 1, KeyLen: 32}

func TestHashAndVerify(t *testing.T) {
	h, err := auth.Hash("mật khẩu đúng 123", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=8192,t=1,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if ok, err := auth.Verify("mật khẩu đúng 123", h); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := auth.Verify("mật khẩu sai 123", h); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := auth.Hash("mật khẩu đúng 123", cheap)
	if h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=18$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "$argon2id$v=19$m=1,t=1,p=1$!!$AA"} {
		if _, err := auth.Verify("x", bad); err == nil {
			t.Errorf("malformed %q accepted", bad)
		}
	}
}

func TestDefaultParamsAreSlow(t *testing.T) {
	if auth.DefaultParams.MemoryKiB < 19*1024 || auth.DefaultParams.Time < 2 {
		t.Fatalf("argon2id parameters below OWASP's minimum: %+v", auth.DefaultParams)
	}
}

func TestTokensAndPasswords(t *testing.T) {
	a, ha := auth.NewToken()
	b, _ := auth.NewToken()
	if a == b || len(a) < 40 || string(ha) != string(auth.TokenHash(a)) {
		t.Fatal("tokens not random or hash mismatch")
	}
	p := auth.RandomPassword()
	if len(p) != 16 || auth.ValidatePassword(p) != nil || p == auth.RandomPassword() {
		t.Fatalf("random password %q", p)
	}
	if auth.ValidatePassword("ngắn") == nil || auth.ValidatePassword(strings.Repeat("x", 201)) == nil {
		t.Fatal("bad password accepted")
	}
	auth.VerifyDummy("x")
}
