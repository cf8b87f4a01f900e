package slack

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"
)

// stateTTL is how long an installation may take between /slack/install and
// Slack's redirect back.
const stateTTL = 10 * time.Minute

// stateCookie binds the state to the browser that started the install, so
// a state captured elsewhere cannot complete someone else's installation.
const stateCookie = "hirebot_slack_oauth"

// authorizeURL is Slack's OAuth v2 page, next to the Web API base.
func (a *Adapter) authorizeURL() string {
	if base, ok := strings.CutSuffix(a.cfg.APIURL, "api/"); ok {
		return base + "oauth/v2/authorize"
	}
	return "https://slack.com/oauth/v2/authorize"
}

// newState returns a state: a random nonce and an expiry, signed with the
// client secret (so any replica can check it) — and the nonce for the cookie.
func (a *Adapter) newState() (state, nonce string, err error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", "", err
	}
	nonce = hex.EncodeToString(b)
	payload := nonce + "." + strconv.FormatInt(a.now().Add(stateTTL).Unix(), 10)
	return payload + "." + a.sign(payload), nonce, nil
}

func (a *Adapter) sign(payload string) string {
	m := hmac.New(sha256.New, []byte("hirebot slack oauth state\x00"+a.cfg.ClientSecret))
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkState reports whether state is ours, unexpired, and was issued to
// the browser holding nonce.
func (a *Adapter) checkState(state, nonce string) bool {
	parts := strings.Split(state, ".")
	if len(parts) != 3 || nonce == "" {
		return false
	}
	payload := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(a.sign(payload)), []byte(parts[2])) {
		return false
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || a.now().Unix() > exp {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(parts[0]), []byte(nonce)) == 1
}

// serveInstall is GET /slack/install: off to Slack's consent page.
func (a *Adapter) serveInstall(w http.ResponseWriter, r *http.Request) {
	state, nonce, err := a.newState()
	if err != nil {
		a.log.Error("cannot make an OAuth state", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: nonce, Path: "/slack/oauth",
		MaxAge: int(stateTTL / time.Second), HttpOnly: true,
		Secure:   r.TLS != nil || strings.HasPrefix(a.cfg.RedirectURL, "https://"),
		SameSite: http.SameSiteLaxMode,
	})
	q := url.Values{
		"client_id": {a.cfg.ClientID},
		"scope":     {strings.Join(BotScopes, ",")},
		"state":     {state},
	}
	if a.cfg.RedirectURL != "" {
		q.Set("redirect_uri", a.cfg.RedirectURL)
	}
	http.Redirect(w, r, a.authorizeURL()+"?"+q.Encode(), http.StatusFound)
}

// serveOAuthCallback is GET /slack/oauth/callback: check the state,
// exchange the code for the workspace's bot token, keep it.
func (a *Adapter) serveOAuthCallback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var nonce string
	if c, err := r.Cookie(stateCookie); err == nil {
		nonce = c.Value
	}
	if !a.checkState(q.Get("state"), nonce) {
		a.log.Warn("OAuth callback with a bad state refused")
		http.Error(w, "This installation link is invalid or has expired. Please start again.", http.StatusUnauthorized)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: stateCookie, Value: "", Path: "/slack/oauth", MaxAge: -1, HttpOnly: true})
	if e := q.Get("error"); e != "" {
		http.Error(w, "The installation was cancelled.", http.StatusBadRequest)
		return
	}
	code := q.Get("code")
	if code == "" {
		http.Error(w, "missing code", http.StatusBadRequest)
		return
	}
	resp, err := slack.GetOAuthV2ResponseContext(r.Context(), a.http, a.cfg.ClientID, a.cfg.ClientSecret,
		code, a.cfg.RedirectURL, slack.OAuthOptionAPIURL(a.cfg.APIURL))
	if err != nil || resp.AccessToken == "" {
		a.log.Warn("OAuth code exchange failed", "err", err)
		http.Error(w, "Slack did not confirm the installation. Please try again.", http.StatusBadGateway)
		return
	}
	team, name := resp.Team.ID, resp.Team.Name
	if resp.IsEnterpriseInstall || team == "" {
		team, name = resp.Enterprise.ID, resp.Enterprise.Name
	}
	if err := a.tokens.SaveToken(r.Context(), team, resp.AccessToken); err != nil {
		a.log.Error("cannot save a workspace token", "workspace", team, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	a.log.Info("installed", "workspace", team, "name", name)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte("<!doctype html><title>hirebot installed</title><p>hirebot is installed in " +
		html.EscapeString(name) + ". Type <code>/hire help</code> in Slack to start.</p>"))
}
