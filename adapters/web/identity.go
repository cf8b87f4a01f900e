package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// A visitor is known by a random ID kept in a signed cookie: the browser
// cannot read it (HttpOnly), another site cannot send it along with a
// request of its own (SameSite), and nobody can make one up (HMAC-SHA256
// under the configured secret).
const (
	cookieName = "hirebot_web"
	cookieAge  = 180 * 24 * time.Hour
	// MinSecret is the shortest secret New accepts, in bytes.
	MinSecret = 32
)

var (
	// workspacePattern is what data-workspace may say: a short slug.
	workspacePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	// personaPattern names one of several identities in one browser
	// (/chat?as=employer), so two tabs can play two people.
	personaPattern = regexp.MustCompile(`^[a-z0-9]{1,16}$`)
	visitorPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)
)

// signer makes and checks visitor cookies.
type signer struct{ key []byte }

func (s signer) mac(visitor string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("hirebot-web-visitor:v1:" + visitor))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// value is the cookie value of visitor: "v1.<id>.<mac>".
func (s signer) value(visitor string) string { return "v1." + visitor + "." + s.mac(visitor) }

// visitor returns the visitor ID of a cookie value, or "" when the value
// is not one this secret signed.
func (s signer) visitor(value string) string {
	parts := strings.Split(value, ".")
	if len(parts) != 3 || parts[0] != "v1" || !visitorPattern.MatchString(parts[1]) {
		return ""
	}
	if !hmac.Equal([]byte(parts[2]), []byte(s.mac(parts[1]))) {
		return ""
	}
	return parts[1]
}

// fromRequest returns the visitor of r's cookie, or "".
func (s signer) fromRequest(r *http.Request) string {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return ""
	}
	return s.visitor(c.Value)
}

func newVisitor() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// cookie is the visitor cookie for a response to r. Over HTTPS it is
// SameSite=None and Partitioned, so the chat works inside the widget's
// frame on another site (each site then sees its own visitor); over plain
// HTTP (a local demo) it is SameSite=Lax.
func (s signer) cookie(r *http.Request, visitor string) *http.Cookie {
	c := &http.Cookie{
		Name: cookieName, Value: s.value(visitor), Path: "/",
		MaxAge: int(cookieAge / time.Second), HttpOnly: true, SameSite: http.SameSiteLaxMode,
	}
	if secure(r) {
		c.Secure, c.SameSite, c.Partitioned = true, http.SameSiteNoneMode, true
	}
	return c
}

// secure reports whether r reached hirebot over HTTPS (directly or through
// a proxy that says so). A client that lies only gets a cookie its own
// browser refuses to keep over plain HTTP.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
