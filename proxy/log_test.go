package proxy_test

import (
	"io"
	"log/slog"
)

// textLogger logs as text to w, from Info on.
func textLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
