package discord

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

func BenchmarkEscape(b *testing.B) {
	s := strings.Repeat("Senior *Go* dev, 5 years_ @everyone <@1> https://ex.com/a_b\n", 10)
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		Escape(s)
	}
}

// BenchmarkServeInteraction measures a signed autocomplete request end to
// end: signature and timestamp check, decoding, answering.
func BenchmarkServeInteraction(b *testing.B) {
	f := newFakeDiscord(b)
	a, priv := testAdapter(b, f, newFakeHandler(nil), func(c *Config) {
		c.Autocomplete = func(string) []string { return []string{"rust", "ruby"} }
	})
	body := interaction("B1", discordgo.InteractionApplicationCommandAutocomplete, inGuild("0"),
		hire("search", `{"name":"skill","type":3,"value":"ru","focused":true}`), "")
	mux := http.NewServeMux()
	a.Routes(mux)
	for b.Loop() {
		rec := &discardWriter{h: http.Header{}}
		mux.ServeHTTP(rec, signed(priv, time.Now(), body))
		if rec.code != 0 && rec.code != http.StatusOK {
			b.Fatalf("status %d", rec.code)
		}
	}
}

type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }
