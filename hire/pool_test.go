package hire_test

import (
	"fmt"
	"testing"
)

func TestPoolRemoveTakesAName(t *testing.T) {
	h := newRH(t)
	a := h.publish(tgID("ann"), "Ann Smith")
	z := h.publish(tgID("zoe"), "Ann Smithers") // a longer name that starts the same
	bob := slackID("T1", "bob")
	h.say(bob, fmt.Sprintf("/pool add %d", a.ID))
	h.say(bob, fmt.Sprintf("/pool add %d Backend", a.ID))
	h.say(bob, fmt.Sprintf("/pool add %d", z.ID))

	mustContain(t, h.say(bob, "/pool remove Nobody Here"), `Nobody called "Nobody Here" is in a pool here`)
	mustContain(t, h.say(bob, "/pool remove ann smith backend"), `Ann Smith is out of the pool "Backend"`)
	mustContain(t, h.say(bob, "/pool remove Ann Smithers"), `Ann Smithers is out of the pool "Saved"`)
	mustContain(t, h.say(bob, "/pool remove Ann Smith"), `Ann Smith is out of the pool "Saved"`)
	mustContain(t, h.say(bob, "/pool"), "no talent pools here")

	h.say(bob, fmt.Sprintf("/pool add %d Go people", a.ID))
	h.say(bob, fmt.Sprintf("/pool add %d Backend", a.ID))
	mustContain(t, h.say(bob, "/pool remove Ann Smith"), `Ann Smith is in the pools "Backend", "Go people"`)
	mustContain(t, h.say(bob, "/pool remove Ann Smith go people"), `out of the pool "Go people"`)
	mustContain(t, h.say(bob, "/pool remove Ann Smith"), `Ann Smith is out of the pool "Backend"`)
}
