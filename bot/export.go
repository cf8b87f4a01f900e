package bot

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/hirebot/hirebot/conversation"
)

// The export format: JSON Lines, one object per record with a "type"
// field. It is a public format (backups, data portability): change it only
// by adding fields.

type exportAccount struct {
	Type       string     `json:"type"`
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Identities []Identity `json:"identities"`
	CreatedAt  time.Time  `json:"created_at"`
}

type exportAvailability struct {
	HoursPerWeek  int    `json:"hours_per_week"`
	AvailableFrom string `json:"available_from"`
}

type exportProfile struct {
	Type            string             `json:"type"`
	AccountID       int64              `json:"account_id"`
	Name            string             `json:"name"`
	Headline        string             `json:"headline"`
	Skills          []string           `json:"skills"`
	YearsExperience int                `json:"years_experience"`
	Rate            conversation.Rate  `json:"rate"`
	Availability    exportAvailability `json:"availability"`
	Timezone        string             `json:"timezone"`
	WorkTypes       []string           `json:"work_types"`
	Remote          bool               `json:"remote"`
	City            string             `json:"city,omitempty"`
	Portfolio       []string           `json:"portfolio"`
	Bio             string             `json:"bio"`
	Status          string             `json:"status"`
	UpdatedAt       time.Time          `json:"updated_at"`
}

type exportJob struct {
	Type         string              `json:"type"`
	ID           int64               `json:"id"`
	OwnerID      int64               `json:"owner_id"`
	Title        string              `json:"title"`
	Description  string              `json:"description"`
	Deliverables string              `json:"deliverables"`
	Skills       []string            `json:"skills"`
	NiceSkills   []string            `json:"nice_skills"`
	Budget       conversation.Budget `json:"budget"`
	Deadline     string              `json:"deadline"`
	Remote       bool                `json:"remote"`
	City         string              `json:"city,omitempty"`
	Timezone     string              `json:"timezone,omitempty"`
	Status       string              `json:"status"`
	CreatedAt    time.Time           `json:"created_at"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Export writes every account, profile and job in s to w as JSON Lines.
func Export(ctx context.Context, s Store, w io.Writer) error {
	enc := json.NewEncoder(w)
	err := s.Accounts(ctx, func(a Account) error {
		return enc.Encode(exportAccount{Type: "account", ID: a.ID, Name: a.Name, Identities: a.Identities, CreatedAt: a.CreatedAt})
	})
	if err != nil {
		return err
	}
	err = s.Profiles(ctx, func(p Profile) error {
		return enc.Encode(exportProfile{
			Type: "profile", AccountID: p.AccountID, Name: p.Name, Headline: p.Headline,
			Skills: nonNil(p.Skills), YearsExperience: p.YearsExperience, Rate: p.Rate,
			Availability: exportAvailability{HoursPerWeek: p.Availability.HoursPerWeek, AvailableFrom: conversation.FormatDate(p.Availability.AvailableFrom)},
			Timezone:     p.Timezone, WorkTypes: nonNil(p.WorkTypes), Remote: p.Location.Remote, City: p.Location.City,
			Portfolio: nonNil(p.Portfolio), Bio: p.Bio, Status: p.Status, UpdatedAt: p.UpdatedAt,
		})
	})
	if err != nil {
		return err
	}
	jobs, err := s.Jobs(ctx, JobFilter{})
	if err != nil {
		return err
	}
	for i := len(jobs) - 1; i >= 0; i-- { // oldest first, like the other records
		j := jobs[i]
		err := enc.Encode(exportJob{
			Type: "job", ID: j.ID, OwnerID: j.OwnerID, Title: j.Title, Description: j.Description,
			Deliverables: j.Deliverables, Skills: nonNil(j.Skills), NiceSkills: nonNil(j.NiceSkills), Budget: j.Budget,
			Deadline: conversation.FormatDate(j.Deadline), Remote: j.Location.Remote, City: j.Location.City,
			Timezone: j.Timezone, Status: j.Status, CreatedAt: j.CreatedAt,
		})
		if err != nil {
			return err
		}
	}
	return nil
}
