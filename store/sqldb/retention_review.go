package sqldb

import (
	"context"
	"encoding/json"
	"errors"
	"time"
	"unicode/utf8"

	"database/sql"

	"github.com/hirebot/hirebot/bot"
)

const reviewColumns = `r.id, r.engagement_id, r.author_id, r.subject_id, r.stars, r.comment, r.hidden,
	(SELECT count(*) FROM review_reports p WHERE p.review_id = r.id), r.created_at`

// RequestReviews records that a done engagement's parties were asked.
func (db *DB) RequestReviews(ctx context.Context, engagementID int64, notify func(bot.Engagement) []bot.Notification) error {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	e, err := engagementIn(ctx, tx, engagementID)
	if err != nil {
		return err
	}
	if !e.Done() {
		return bot.Errorf(bot.EINVALID, "Engagement %d is not done yet.", e.ID)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO review_requests (engagement_id, created_at) VALUES (?, ?)
		ON CONFLICT (engagement_id) DO NOTHING`,
		e.ID, tx.d.Time(db.stamp()))
	if err != nil {
		return internal("request reviews", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return internal("request reviews", err)
	} else if n == 0 {
		return bot.Errorf(bot.ECONFLICT, "Reviews of engagement %d were already asked for.", e.ID)
	}
	if notify != nil {
		if err := db.enqueue(ctx, tx, notify(e)); err != nil {
			return err
		}
	}
	return commit(tx)
}

// UnrequestedEngagements returns done engagements not yet asked about.
func (db *DB) UnrequestedEngagements(ctx context.Context, limit int) ([]int64, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT e.id, e.milestones FROM engagements e
		WHERE NOT EXISTS (SELECT 1 FROM review_requests q WHERE q.engagement_id = e.id)
		AND e.milestones != '[]' ORDER BY e.id`)
	if err != nil {
		return nil, internal("read engagements", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() && (limit <= 0 || len(ids) < limit) {
		var (
			id int64
			ms string
		)
		if err := rows.Scan(&id, &ms); err != nil {
			return nil, internal("read engagements", err)
		}
		var e bot.Engagement
		if err := json.Unmarshal([]byte(ms), &e.Milestones); err != nil {
			return nil, internal("decode milestones", err)
		}
		if e.Done() { // the domain's rule of a completed engagement
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read engagements", err)
	}
	return ids, nil
}

// AddReview stores one side's review of the other.
func (db *DB) AddReview(ctx context.Context, r bot.Review) (bot.Review, error) {
	if r.Stars < 0 || r.Stars > 5 {
		return bot.Review{}, bot.Errorf(bot.EINVALID, "Give 1 to 5 stars.")
	}
	if utf8.RuneCountInString(r.Comment) > bot.MaxReviewComment {
		return bot.Review{}, bot.Errorf(bot.EINVALID, "Please keep the comment under %d characters.", bot.MaxReviewComment)
	}
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Review{}, err
	}
	defer tx.Rollback()
	e, err := engagementIn(ctx, tx, r.EngagementID)
	if err != nil {
		return bot.Review{}, err
	}
	switch r.AuthorID {
	case e.FreelancerID:
		r.SubjectID = e.EmployerID
	case e.EmployerID:
		r.SubjectID = e.FreelancerID
	default:
		return bot.Review{}, bot.Errorf(bot.EUNAUTHORIZED, "Only the two people of engagement %d can review it.", e.ID)
	}
	if !e.Done() {
		return bot.Review{}, bot.Errorf(bot.EINVALID, "Engagement %d is not done yet; reviews come after the last milestone.", e.ID)
	}
	r.CreatedAt, r.Hidden, r.Reports = db.stamp(), false, 0
	err = tx.QueryRowContext(ctx, `INSERT INTO reviews (engagement_id, author_id, subject_id, stars, comment, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (engagement_id, author_id) DO NOTHING RETURNING id`,
		r.EngagementID, r.AuthorID, r.SubjectID, r.Stars, r.Comment, tx.d.Time(r.CreatedAt)).Scan(&r.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return bot.Review{}, bot.Errorf(bot.ECONFLICT, "You already answered for engagement %d; a review is given once.", e.ID)
	}
	if err != nil {
		return bot.Review{}, internal("insert review", err)
	}
	return r, commit(tx)
}

// Review returns a review; ENOTFOUND if none.
func (db *DB) Review(ctx context.Context, id int64) (bot.Review, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return bot.Review{}, err
	}
	defer tx.Rollback()
	return reviewIn(ctx, tx, id)
}

func reviewIn(ctx context.Context, tx *Tx, id int64) (bot.Review, error) {
	r, err := scanReview(tx.QueryRowContext(ctx, `SELECT `+reviewColumns+` FROM reviews r WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, bot.Errorf(bot.ENOTFOUND, "There is no review %d.", id)
	}
	return r, err
}

// Reviews returns the reviews an account received, newest first.
func (db *DB) Reviews(ctx context.Context, subjectID int64) ([]bot.Review, error) {
	return db.queryReviews(ctx, `SELECT `+reviewColumns+` FROM reviews r WHERE r.subject_id = ? AND r.stars > 0 ORDER BY r.id DESC`, subjectID)
}

// ReviewsBy returns the reviews and skips an account wrote, oldest first.
func (db *DB) ReviewsBy(ctx context.Context, authorID int64) ([]bot.Review, error) {
	return db.queryReviews(ctx, `SELECT `+reviewColumns+` FROM reviews r WHERE r.author_id = ? ORDER BY r.id`, authorID)
}

func (db *DB) queryReviews(ctx context.Context, query string, args ...any) ([]bot.Review, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return reviewsIn(ctx, tx, query, args...)
}

func reviewsIn(ctx context.Context, tx *Tx, query string, args ...any) ([]bot.Review, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal("read reviews", err)
	}
	defer rows.Close()
	var out []bot.Review
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read reviews", err)
	}
	return out, nil
}

// Ratings returns the average stars of every reviewed account.
func (db *DB) Ratings(ctx context.Context) ([]bot.Rating, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT subject_id, CAST(avg(stars) AS DOUBLE PRECISION), count(*) FROM reviews WHERE stars > 0
		GROUP BY subject_id ORDER BY subject_id`)
	if err != nil {
		return nil, internal("read ratings", err)
	}
	defer rows.Close()
	var out []bot.Rating
	for rows.Next() {
		var r bot.Rating
		if err := rows.Scan(&r.AccountID, &r.Average, &r.Count); err != nil {
			return nil, internal("read ratings", err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read ratings", err)
	}
	return out, nil
}

// ReportReview records one person's report of a review.
func (db *DB) ReportReview(ctx context.Context, reviewID, accountID int64, notify func(bot.Review) []bot.Notification) (bot.Review, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Review{}, err
	}
	defer tx.Rollback()
	if _, err := reviewIn(ctx, tx, reviewID); err != nil {
		return bot.Review{}, err
	}
	if err := accountExists(ctx, tx, accountID); err != nil {
		return bot.Review{}, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO review_reports (review_id, account_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (review_id, account_id) DO NOTHING`,
		reviewID, accountID, tx.d.Time(db.stamp()))
	if err != nil {
		return bot.Review{}, internal("report review", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return bot.Review{}, internal("report review", err)
	} else if n == 0 {
		return bot.Review{}, bot.Errorf(bot.ECONFLICT, "You already reported review %d.", reviewID)
	}
	r, err := reviewIn(ctx, tx, reviewID)
	if err != nil {
		return bot.Review{}, err
	}
	if notify != nil {
		if err := db.enqueue(ctx, tx, notify(r)); err != nil {
			return bot.Review{}, err
		}
	}
	return r, commit(tx)
}

// SetReviewHidden hides or shows a review's comment.
func (db *DB) SetReviewHidden(ctx context.Context, id int64, hidden bool) (bot.Review, error) {
	tx, err := db.beginWrite(ctx)
	if err != nil {
		return bot.Review{}, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE reviews SET hidden = ? WHERE id = ?`, hidden, id)
	if err != nil {
		return bot.Review{}, internal("hide review", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return bot.Review{}, internal("hide review", err)
	} else if n == 0 {
		return bot.Review{}, bot.Errorf(bot.ENOTFOUND, "There is no review %d.", id)
	}
	r, err := reviewIn(ctx, tx, id)
	if err != nil {
		return bot.Review{}, err
	}
	return r, commit(tx)
}

func scanReview(row scanner) (bot.Review, error) {
	var (
		r       bot.Review
		created time.Time
	)
	err := row.Scan(&r.ID, &r.EngagementID, &r.AuthorID, &r.SubjectID, &r.Stars, &r.Comment, &r.Hidden, &r.Reports, tm(&created))
	if errors.Is(err, sql.ErrNoRows) {
		return r, err
	}
	if err != nil {
		return r, internal("read review", err)
	}
	r.CreatedAt = created
	return r, err
}

// queryIDs runs a query whose rows are one integer each.
func queryIDs(ctx context.Context, tx *Tx, query string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal("read ids", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, internal("read ids", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, internal("read ids", err)
	}
	return out, nil
}
