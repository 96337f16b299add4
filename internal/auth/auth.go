// Package auth hashes passwords with argon2id and makes session tokens.
// It knows nothing of HTTP or SQL.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32
	Threads   uint8
	KeyLen    uint32
}

// DefaultParams follow the OWASP guidance for argon2id: 64 MiB, 3 passes,
// 2 lanes, a 32-byte hash with a 16-byte random salt (about 0.1 s per hash here).
var DefaultParams = Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 2, KeyLen: 32}

// Hash returns the PHC-format argon2id hash of password.
func Hash(password string, p Params) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := idKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, p.KeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// slots bound how many hashes run at once: each takes MemoryKiB of memory
// (64 MiB by default), so a burst of logins waits its turn instead of
// taking the process to a gigabyte. A hash already runs on Threads cores,
// so more at once than the cores allow would only share them.
var slots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/int(DefaultParams.Threads)))

var inFlight, peak atomic.Int64

func idKey(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte {
	slots <- struct{}{}
	defer func() { <-slots }()
	n := inFlight.Add(1)
	defer inFlight.Add(-1)
	for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
	}
	key := argon2.IDKey(password, salt, time, memory, threads, keyLen)
	// The hash's memory is garbage now: hand it back before the next hash
	// takes its own, or the two are held at once until the collector runs
	// (a burst of four logins took the process from 70 to 155 MB). A login
	// is rare beside the requests of its session, and this costs a few
	// milliseconds beside the hash's hundred.
	debug.FreeOSMemory()
	return key
}

// ErrMalformed is returned for a stored hash that cannot be read.
var ErrMalformed = errors.New("auth: malformed password hash")

// Verify reports whether password matches the encoded hash, in constant time.
func Verify(password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, ErrMalformed
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformed
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, ErrMalformed
	}
	got := idKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummy is verified against when a username does not exist, so that a
// failed login takes the same time either way.
var dummy, _ = Hash("ketnap-dummy-password", DefaultParams)

// VerifyDummy spends the time of one verification and always fails.
func VerifyDummy(password string) {
	_, _ = Verify(password, dummy)
}

// NewToken returns a random session token for the cookie and the hash kept in the database.
func NewToken() (token string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, TokenHash(token)
}

// TokenHash returns the stored form of a session token.
func TokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// RandomPassword returns a 16-character password without look-alike characters.
func RandomPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// ValidatePassword refuses passwords too short or too long to be safe.
func ValidatePassword(pw string) error {
	switch n := utf8.RuneCountInString(pw); {
	case n < 10:
		return errors.New("Mật khẩu phải có ít nhất 10 ký tự.")
	case n > 200:
		return errors.New("Mật khẩu dài quá 200 ký tự.")
	}
	return nil
}
