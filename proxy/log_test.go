package proxy_test

import (
	"io"
	"log/slog"
)

// textLogger logs every level as text to w.
func textLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
