package telegram

import (
	"fmt"
	"testing"

	"github.com/hirebot/hirebot/bot"
)

func BenchmarkTranslate(b *testing.B) {
	u := mustUpdate(b, updGroupMention)
	for b.Loop() {
		if _, ok := translate(u, me); !ok {
			b.Fatal("dropped")
		}
	}
}

func BenchmarkRenderJobCard(b *testing.B) {
	var fields []bot.Field
	for i := range 8 {
		fields = append(fields, bot.Field{Label: fmt.Sprintf("Field %d", i), Value: "Go, PostgreSQL & <Kubernetes>"})
	}
	r := bot.Reply{Text: "New gig in Gigs Berlin", Cards: []bot.Card{{Title: "Logo design", Fields: fields}},
		Buttons: []bot.Button{{Label: "Apply", Value: "https://t.me/hirebot_test_bot?start=gig_7"}, {Label: "Save", Value: "/save 7"}}}
	for b.Loop() {
		if msgs, _ := render(r); len(msgs) != 1 {
			b.Fatal("split")
		}
	}
}
