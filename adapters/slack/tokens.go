package slack

import (
	"context"
	"sync"

	"github.com/hirebot/hirebot/bot"
)

// TokenStore keeps the bot token of every workspace hirebot is installed in.
// The SQL store implements it for the distributable (OAuth) mode.
type TokenStore interface {
	// Token returns the bot token of the workspace (Slack team ID, or the
	// enterprise ID of an org-wide install). It returns an *bot.Error with
	// ENOTFOUND when the workspace has not installed hirebot.
	Token(ctx context.Context, teamID string) (string, error)
	// SaveToken stores or replaces the workspace's bot token.
	SaveToken(ctx context.Context, teamID, token string) error
}

// MemoryTokens is a TokenStore in memory. Its fallback token answers for
// every workspace without one of its own: the single-workspace mode.
type MemoryTokens struct {
	mu       sync.RWMutex
	fallback string
	byTeam   map[string]string
}

// NewMemoryTokens returns a store whose fallback is token ("" for none).
func NewMemoryTokens(token string) *MemoryTokens {
	return &MemoryTokens{fallback: token, byTeam: map[string]string{}}
}

// Token implements TokenStore.
func (m *MemoryTokens) Token(_ context.Context, teamID string) (string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if t, ok := m.byTeam[teamID]; ok {
		return t, nil
	}
	if m.fallback != "" {
		return m.fallback, nil
	}
	return "", bot.Errorf(bot.ENOTFOUND, "workspace %q has not installed hirebot", teamID)
}

// SaveToken implements TokenStore.
func (m *MemoryTokens) SaveToken(_ context.Context, teamID, token string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.byTeam[teamID] = token
	return nil
}
