package bot

import (
	"context"
	"time"
)

// expiryBatch is how many due jobs one pass of the expiry task reads at a
// time.
const expiryBatch = 100

// expiryTask marks open jobs past their deadline day as expired and edits
// their board messages to say so, without buttons.
func (b *Bot) expiryTask() Task {
	return Task{Name: "expire-jobs", Every: 10 * time.Minute, Run: b.ExpireJobs}
}

// ExpireJobs expires every open job whose deadline day is before the day
// of now, and says so on the boards it was posted to.
func (b *Bot) ExpireJobs(ctx context.Context, now time.Time) error {
	for {
		jobs, err := b.store.DueJobs(ctx, now, expiryBatch)
		if err != nil {
			return err
		}
		for _, j := range jobs {
			if err := b.store.SetJobStatus(ctx, j.ID, JobExpired); err != nil {
				return err
			}
			b.index.RemoveJob(j.ID)
			j.Status = JobExpired
			b.editPosts(ctx, j, PostGig, "This gig has expired.")
			b.editPosts(ctx, j, PostReport, "This gig has expired.")
		}
		if len(jobs) < expiryBatch {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}
