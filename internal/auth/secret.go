package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// TokenPrefix starts every API token, so that a token pasted where it should not be is
// recognisable (and secret scanners can find it).
const TokenPrefix = "ep_"

// newSecret returns 32 random bytes as unpadded URL-safe base64.
func newSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newToken returns a new API token's value.
func newToken() string { return TokenPrefix + newSecret() }

// hashSecret is how a session id or token is kept in the database: SHA-256, hex. The
// secrets have 256 bits of entropy, so a fast hash is enough (unlike passwords).
func hashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// looksLikeToken reports whether s has the form of a token this package makes.
func looksLikeToken(s string) bool {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	return ok && len(rest) == 43
}
