package bench

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// fakeDiscordAPI is Discord's REST API as far as an HTTP-interactions bot
// goes: the application for the start-up check, a gateway whose address
// refuses connections (the bench drives the interactions endpoint, not the
// gateway), and the interaction webhooks, where a deferred answer or a
// follow-up is counted for the channel its token names (interactionToken).
// The acknowledgement of a repeated delivery ("✓") is not an answer.
type fakeDiscordAPI struct {
	tally
	appID string
}

func (f *fakeDiscordAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/api/v9")
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodGet && path == "/applications/@me":
		fmt.Fprintf(w, `{"id":%q,"name":"hirebot"}`, f.appID)
	case r.Method == http.MethodGet && path == "/gateway/bot":
		io.WriteString(w, `{"url":"ws://127.0.0.1:1","shards":1,"session_start_limit":{"total":1000,"remaining":1000,"reset_after":0,"max_concurrency":1}}`)
	case r.Method == http.MethodGet && path == "/gateway":
		io.WriteString(w, `{"url":"ws://127.0.0.1:1"}`)
	case strings.HasPrefix(path, "/webhooks/") && r.Method == http.MethodDelete:
		w.WriteHeader(http.StatusNoContent)
	case strings.HasPrefix(path, "/webhooks/"):
		// /webhooks/{app}/{token} (follow-up) or .../messages/@original (edit)
		parts := strings.Split(path, "/")
		var m struct {
			Content string            `json:"content"`
			Embeds  []json.RawMessage `json:"embeds"`
		}
		if len(parts) < 4 || json.NewDecoder(r.Body).Decode(&m) != nil {
			http.Error(w, `{"message":"bad request"}`, http.StatusBadRequest)
			return
		}
		channel, _, _ := strings.Cut(parts[3], "-")
		if m.Content != "✓" || len(m.Embeds) > 0 {
			f.add(channel)
		}
		fmt.Fprintf(w, `{"id":"1","channel_id":%q,"content":"ok"}`, channel)
	default:
		io.WriteString(w, `{"id":"1","channel_id":"1","content":"ok"}`)
	}
}

// interactionToken names the channel an interaction came from, so that
// the fake can count its webhook answers.
func interactionToken(channel string, id int64) string {
	return channel + "-" + strconv.FormatInt(id, 10)
}

// discordEpoch is Discord's epoch in Unix milliseconds; discordEpoch2020 is
// 2020-01-01 in milliseconds since it: people in the bench have accounts
// made then.
const (
	discordEpoch     = 1420070400000
	discordEpoch2020 = 1577836800000 - discordEpoch
)

// snowflake is a Discord ID made at ms since Discord's epoch.
func snowflake(ms, n int64) string {
	return strconv.FormatInt(ms<<22|n&(1<<22-1), 10)
}

// helpInteraction is "/hire help" in a DM with the bot.
func helpInteraction(appID, id, user, channel string, seq int64) []byte {
	return []byte(`{"id":"` + id + `","application_id":"` + appID + `","type":2,"version":1,` +
		`"token":"` + interactionToken(channel, seq) + `","channel_id":"` + channel + `",` +
		`"user":{"id":"` + user + `","username":"scale` + user + `","discriminator":"0"},` +
		`"data":{"id":"1","name":"hire","type":1,"options":[{"name":"help","type":1}]}}`)
}

// postInteraction delivers a signed interaction to a child, as Discord
// does, and reports whether its response is an answer (a message or a
// modal, not the acknowledgement of a repeated delivery). A deferred
// response is not: its answer comes later through the webhook.
func postInteraction(ctx context.Context, c *http.Client, base string, key ed25519.PrivateKey, body []byte) bool {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	status, resp := postJSON(ctx, c, base+"discord/interactions", body,
		"X-Signature-Timestamp", ts, "X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, append([]byte(ts), body...))))
	var out struct {
		Type int `json:"type"`
		Data struct {
			Content string            `json:"content"`
			Embeds  []json.RawMessage `json:"embeds"`
		} `json:"data"`
	}
	if status != http.StatusOK || json.Unmarshal(resp, &out) != nil {
		return false
	}
	switch out.Type {
	case 4: // a message
		return out.Data.Content != "✓" || len(out.Data.Embeds) > 0
	case 9: // a modal
		return true
	}
	return false // 5, deferred: the answer is an edit through the webhook
}
