package postgres

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hirebot/hirebot/bot"
	"github.com/hirebot/hirebot/store/storetest"
)

// twoReplicas opens two DBs (two pools) on one fresh schema.
func twoReplicas(t *testing.T) [2]*DB {
	t.Helper()
	u := freshSchema(t)
	return [2]*DB{mustOpen(t, u, Options{}), mustOpen(t, u, Options{})}
}

// race runs fn on both replicas at once.
func race(dbs [2]*DB, fn func(i int, db *DB)) {
	var wg sync.WaitGroup
	for i, db := range dbs {
		wg.Go(func() { fn(i, db) })
	}
	wg.Wait()
}

// TestReplicasResolveOneAccount: the first message of a person reaching two
// replicas at once makes one account, which both return.
func TestReplicasResolveOneAccount(t *testing.T) {
	dbs := twoReplicas(t)
	ctx := t.Context()
	for n := range 20 {
		id := bot.Identity{Platform: bot.Slack, Workspace: "T1", UserID: fmt.Sprintf("U%d", n)}
		var got [2]bot.Account
		var errs [2]error
		race(dbs, func(i int, db *DB) { got[i], errs[i] = db.ResolveAccount(ctx, id, "Ada") })
		for i, err := range errs {
			if err != nil {
				t.Fatalf("%v on replica %d: %v", id, i, err)
			}
		}
		if got[0].ID != got[1].ID {
			t.Fatalf("%v resolved to accounts %d and %d, want one", id, got[0].ID, got[1].ID)
		}
	}
	var accounts int
	if err := conns(dbs[0]).QueryRowContext(ctx, `SELECT count(*) FROM accounts`).Scan(&accounts); err != nil {
		t.Fatal(err)
	}
	if accounts != 20 {
		t.Fatalf("%d accounts for 20 identities, want 20 (no orphans)", accounts)
	}
}

// TestReplicasCreateOneJobPerKey: a confirmation retried on two replicas at
// once creates one job, which both return.
func TestReplicasCreateOneJobPerKey(t *testing.T) {
	dbs := twoReplicas(t)
	ctx := t.Context()
	owner, err := dbs[0].ResolveAccount(ctx, bot.Identity{Platform: bot.Console, UserID: "owner"}, "Owner")
	if err != nil {
		t.Fatal(err)
	}
	for n := range 20 {
		key := fmt.Sprintf("confirm-%d", n)
		var got [2]bot.Job
		var errs [2]error
		race(dbs, func(i int, db *DB) { got[i], errs[i] = db.CreateJob(ctx, storetest.FullJob(owner.ID, key)) })
		for i, err := range errs {
			if err != nil {
				t.Fatalf("key %s on replica %d: %v (code %s)", key, i, err, bot.ErrorCode(err))
			}
		}
		if got[0].ID != got[1].ID {
			t.Fatalf("key %s made jobs %d and %d, want one", key, got[0].ID, got[1].ID)
		}
	}
}

// TestReplicasFinishJobWhileInvitesChange: closing a job on one replica
// while the other accepts its invites never deadlocks or fails for a
// reason of the database's own; each invite ends either accepted (before
// the close) or expired (by it).
func TestReplicasFinishJobWhileInvitesChange(t *testing.T) {
	dbs := twoReplicas(t)
	ctx := t.Context()
	owner, err := dbs[0].ResolveAccount(ctx, bot.Identity{Platform: bot.Console, UserID: "owner"}, "Owner")
	if err != nil {
		t.Fatal(err)
	}
	var people []int64
	for n := range 5 {
		a, err := dbs[0].ResolveAccount(ctx, bot.Identity{Platform: bot.Console, UserID: fmt.Sprint("f", n)}, "F")
		if err != nil {
			t.Fatal(err)
		}
		people = append(people, a.ID)
	}
	accept := func(inv *bot.Invite, j bot.Job) (bot.Effects, error) {
		if j.Status != bot.JobOpen || inv.State != bot.InviteSent {
			return bot.Effects{}, bot.Errorf(bot.ECONFLICT, "closed")
		}
		inv.State = bot.InviteAccepted
		return bot.Effects{}, nil
	}
	for round := range 10 {
		job, err := dbs[0].CreateJob(ctx, storetest.FullJob(owner.ID, ""))
		if err != nil {
			t.Fatal(err)
		}
		var invites []int64
		for _, p := range people {
			inv, err := dbs[0].CreateInvite(ctx, bot.Invite{JobID: job.ID, FreelancerID: p, EmployerID: owner.ID,
				ExpiresAt: time.Now().Add(time.Hour)}, nil)
			if err != nil {
				t.Fatal(err)
			}
			invites = append(invites, inv.ID)
		}
		race(dbs, func(i int, db *DB) {
			if i == 0 {
				if _, err := db.FinishJob(ctx, job.ID, bot.JobClosed, nil); err != nil {
					t.Errorf("round %d: FinishJob: %v", round, err)
				}
				return
			}
			for _, id := range invites {
				if _, err := db.UpdateInvite(ctx, id, accept); err != nil && bot.ErrorCode(err) != bot.ECONFLICT {
					t.Errorf("round %d: UpdateInvite(%d): %v", round, id, err)
				}
			}
		})
		invs, err := dbs[0].Invites(ctx, bot.InviteFilter{JobID: job.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, inv := range invs {
			if inv.State != bot.InviteAccepted && inv.State != bot.InviteExpired {
				t.Fatalf("round %d: invite %d is %s after the close, want accepted or expired", round, inv.ID, inv.State)
			}
		}
	}
}
