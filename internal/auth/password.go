package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/yantai-edu/eduplan/internal/plan"
)

// argon2id's cost, OWASP's recommendation for argon2id (19 MiB, 2 passes, 1 lane): about
// 30 ms a check on a server core, which is what makes a stolen hash expensive to guess.
const (
	argonMemory  = 19 * 1024 // KiB
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLen is the shortest password accepted, in characters.
const MinPasswordLen = 10

// HashPassword returns the argon2id hash of a password in the PHC string format
// ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), with a new random salt.
func HashPassword(password string) string {
	salt := make([]byte, argonSaltLen)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// CheckPassword reports whether password matches a hash made by HashPassword (with any
// cost parameters), in time that does not depend on where they differ.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// CheckPasswordRules returns why a new password is not acceptable, or nil.
func CheckPasswordRules(name, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLen {
		return plan.Errorf(plan.EINVALID, "密码至少 %d 个字符", "a password needs at least %d characters", MinPasswordLen)
	}
	if strings.EqualFold(password, name) {
		return plan.Errorf(plan.EINVALID, "密码不能与用户名相同", "the password must not be the user name")
	}
	return nil
}

// passwordAlphabet has no letters that read alike (0/O, 1/l/I).
const passwordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewPassword returns a random password of 20 characters (about 116 bits).
func NewPassword() string {
	return randomString(passwordAlphabet, 20)
}

// randomString draws n characters of alphabet uniformly (rejection sampling, no
// modulo bias).
func randomString(alphabet string, n int) string {
	out := make([]byte, 0, n)
	limit := 256 - 256%len(alphabet)
	buf := make([]byte, 2*n)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			if int(b) < limit && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out)
}
