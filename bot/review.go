package bot

import (
	"context"
	"time"
)

// Review limits.
const (
	MaxReviewComment = 280
	// reportsToHide hides a comment on its own once this many people
	// reported it, where no moderator acted first.
	ReportsToHide = 3
)

// Review is one side's verdict on the other after an engagement. Stars 0
// means the author skipped.
type Review struct {
	ID           int64     `json:"id"`
	EngagementID int64     `json:"engagement_id"`
	AuthorID     int64     `json:"author_id"`
	SubjectID    int64     `json:"subject_id"`
	Stars        int       `json:"stars"`
	Comment      string    `json:"comment,omitempty"`
	Hidden       bool      `json:"hidden,omitempty"`
	Reports      int       `json:"reports,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
}

// Rating is the average of the stars an account received.
type Rating struct {
	AccountID int64   `json:"account_id"`
	Average   float64 `json:"average"`
	Count     int     `json:"count"`
}

// Done reports whether an engagement is completed: it has milestones and
// every one is ticked off.
func (e Engagement) Done() bool {
	if len(e.Milestones) == 0 {
		return false
	}
	for _, m := range e.Milestones {
		if !m.Done {
			return false
		}
	}
	return true
}

// ReviewStore keeps reviews and the record of who was asked for one.
type ReviewStore interface {
	// RequestReviews records that the parties of a done engagement were
	// asked for reviews and enqueues what notify returns, in one
	// transaction. It asks once: ECONFLICT when already asked. EINVALID
	// when the engagement is not done; ENOTFOUND if there is none.
	RequestReviews(ctx context.Context, engagementID int64, notify func(Engagement) []Notification) error
	// UnrequestedEngagements returns the IDs of done engagements whose
	// parties were not asked yet, oldest first, at most limit.
	UnrequestedEngagements(ctx context.Context, limit int) ([]int64, error)
	// AddReview stores r.AuthorID's review of the other party of
	// r.EngagementID (SubjectID, ID and CreatedAt are set by the store).
	// Stars 0 records a skip. ENOTFOUND if the engagement does not exist;
	// EUNAUTHORIZED unless the author is one of its two parties; EINVALID
	// when it is not done, Stars is outside 0–5 or the comment is longer
	// than MaxReviewComment runes; ECONFLICT when the author already
	// reviewed or skipped it.
	AddReview(ctx context.Context, r Review) (Review, error)
	// Review returns a review; ENOTFOUND if none.
	Review(ctx context.Context, id int64) (Review, error)
	// Reviews returns the reviews an account received, skips left out,
	// newest first.
	Reviews(ctx context.Context, subjectID int64) ([]Review, error)
	// ReviewsBy returns the reviews and skips an account wrote, oldest
	// first.
	ReviewsBy(ctx context.Context, authorID int64) ([]Review, error)
	// Ratings returns the rating of every account with at least one
	// review (skips do not count), in account ID order.
	Ratings(ctx context.Context) ([]Rating, error)
	// ReportReview records accountID's report of a review, once per
	// person, and enqueues what notify returns given the review with its
	// new report count. ECONFLICT when that person already reported it;
	// ENOTFOUND if there is no such review.
	ReportReview(ctx context.Context, reviewID, accountID int64, notify func(Review) []Notification) (Review, error)
	// SetReviewHidden hides or shows a review's comment; its stars keep
	// counting. ENOTFOUND if none.
	SetReviewHidden(ctx context.Context, id int64, hidden bool) (Review, error)
}
