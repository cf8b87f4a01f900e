package main

import (
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// logSettings checks HIREBOT_LOG and HIREBOT_LOG_FORMAT before anything
// runs: a misspelt level must not quietly become info.
func logSettings(e env) (slog.Level, string, error) {
	var level slog.Level
	if e.LogLevel != "" {
		if err := level.UnmarshalText([]byte(e.LogLevel)); err != nil {
			return 0, "", fmt.Errorf("HIREBOT_LOG=%q is not a log level: set debug, info, warn or error", e.LogLevel)
		}
	}
	format := strings.ToLower(e.LogFormat)
	switch format {
	case "":
		format = "text"
	case "text", "json":
	default:
		return 0, "", fmt.Errorf("HIREBOT_LOG_FORMAT=%q is not a log format: set text or json", e.LogFormat)
	}
	return level, format, nil
}

// newLogger writes hirebot's log to w at the level and in the format of
// HIREBOT_LOG and HIREBOT_LOG_FORMAT; run has checked both.
func newLogger(w io.Writer, e env) *slog.Logger {
	level, format, err := logSettings(e)
	if err != nil {
		level, format = slog.LevelInfo, "text"
	}
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
