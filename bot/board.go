package bot

import (
	"context"
	"time"
)

// Board is the gig board of a community (a Discord server, a Telegram
// group): where its members' gigs are posted and the rules for posting.
type Board struct {
	Platform string `json:"platform"`
	// Community is the Discord guild ID or the Telegram group's chat ID.
	Community string `json:"community"`
	// ChannelID is the chat gigs are posted to.
	ChannelID string `json:"channel_id"`
	// ModChannelID is the chat reported gigs go to; "" means none.
	ModChannelID string `json:"mod_channel_id,omitempty"`
	// Cooldown is how long a member waits between two gigs; 0 means no wait.
	Cooldown time.Duration `json:"cooldown"`
	// MinAccountAge is how old a member's platform account must be to post;
	// 0 means any age.
	MinAccountAge time.Duration `json:"min_account_age"`
	UpdatedAt     time.Time     `json:"updated_at"`
}

// Kinds of BoardPost.
const (
	// PostGig is a gig card on a board.
	PostGig = "gig"
	// PostReport is a reported gig shown to a community's moderators.
	PostReport = "report"
)

// BoardPost is one message hirebot posted about a job in a community chat,
// kept so the message can be edited when the job changes.
type BoardPost struct {
	JobID     int64  `json:"job_id"`
	Kind      string `json:"kind"`
	Platform  string `json:"platform"`
	Community string `json:"community"`
	ChatID    string `json:"chat_id"`
	// Ref is the platform's reference of the message; "" when the platform
	// could not give one (the message cannot be edited).
	Ref string `json:"ref,omitempty"`
	// AccountID is who posted the gig (PostGig) or reported it (PostReport).
	AccountID int64     `json:"account_id"`
	CreatedAt time.Time `json:"created_at"`
}

// BoardStore keeps gig boards, the messages posted on them, reports and
// saved gigs. It is part of Store; the conformance suite in
// store/storetest checks every rule written here.
type BoardStore interface {
	// SaveBoard creates or replaces the board of (Platform, Community) and
	// returns it with UpdatedAt set. EINVALID without a platform, a
	// community or a channel, or with a negative duration.
	SaveBoard(ctx context.Context, b Board) (Board, error)
	// Board returns the board of a community; ENOTFOUND if none.
	Board(ctx context.Context, platform, community string) (Board, error)

	// AddBoardPost records a message about a job and returns it with
	// CreatedAt set. Recording the same (JobID, Kind, Platform, ChatID)
	// again replaces Ref and keeps the first CreatedAt. EINVALID for an
	// unknown Kind; ENOTFOUND if the job or the account does not exist.
	AddBoardPost(ctx context.Context, p BoardPost) (BoardPost, error)
	// BoardPosts returns the messages recorded about a job, oldest first.
	// Deleting the job deletes them.
	BoardPosts(ctx context.Context, jobID int64) ([]BoardPost, error)
	// LastBoardPost returns when an account last had a gig posted to the
	// board of a community (the CreatedAt of its newest PostGig there), or
	// the zero time if never.
	LastBoardPost(ctx context.Context, platform, community string, accountID int64) (time.Time, error)

	// AddReport records that an account reported a job. first is false
	// when it had already reported it (nothing changes). ENOTFOUND if the
	// job or the account does not exist.
	AddReport(ctx context.Context, jobID, accountID int64) (first bool, err error)

	// SaveGig bookmarks a job for an account; saving it again changes
	// nothing. ENOTFOUND if the job or the account does not exist.
	SaveGig(ctx context.Context, accountID, jobID int64) error
	// SavedGigs returns the jobs an account bookmarked, the most recently
	// saved first. Deleting a job or the account removes its bookmarks.
	SavedGigs(ctx context.Context, accountID int64) ([]Job, error)

	// DueJobs returns at most limit open jobs whose deadline is before
	// the day of before (jobs due on that day are not due yet), earliest
	// deadline first.
	DueJobs(ctx context.Context, before time.Time, limit int) ([]Job, error)
}
