package discord

import (
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/hirebot/hirebot/adapters/adaptertest"
	"github.com/hirebot/hirebot/bot"
)

// TestOthersSeeTheGlobalName: a Discord user who only ever used /hire in
// a DM is shown to someone else by their global display name, not their
// username, through the real adapter (a signed interaction) and the real
// core.
func TestOthersSeeTheGlobalName(t *testing.T) {
	b, db := adaptertest.NewCore(t)
	f := newFakeDiscord(t)
	a, priv := testAdapter(t, f, newFakeHandler(b.Handle), nil)
	b.Register(a)
	where := `"channel_id":"DM-1","user":{"id":"100000000000000077","username":"ana_s","global_name":"Ana Silva","discriminator":"0"}`
	raw := interaction("N1", discordgo.InteractionApplicationCommand, where, hire("help", ""), "")
	if status, _, body := post(t, a, signed(priv, time.Now(), raw)); status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	a.inflight.Wait()
	if got := adaptertest.InviteReads(t, b, db, bot.Identity{Platform: bot.Discord, UserID: "100000000000000077"}); !strings.Contains(got, "Invite 1 sent to Ana Silva for #1") {
		t.Errorf("the employer reads %q; want Ana's global name", got)
	}
}
