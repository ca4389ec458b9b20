// Package ui holds the fake's admin page, served at GET /__tcbmock/ui/:
// the files a browser loads, embedded, so that the page needs no network
// and no file beside the binary. They are plain HTML, CSS and JavaScript
// modules with no build step and no framework; every piece of data the
// page shows comes from the admin API, and reaches the page as text,
// never as HTML.
//
// The files:
//
//	index.html     the page: a header with the fake's clock, four tabs
//	style.css
//	js/main.js     starts the page: tabs, the admin token, what polls
//	js/api.js      calls the admin API with the token from session storage
//	js/stream.js   reads the journal stream (server-sent events over fetch)
//	js/journal.js  the journal table, its filters
//	js/detail.js   one exchange: request, answer, the spec's errcode row
//	js/scenarios.js, js/world.js, js/clock.js, js/config.js  the other parts
//	js/dom.js      building elements from text, formatting
package ui

import (
	"embed"
	"io/fs"
)

//go:embed index.html style.css favicon.svg js
var files embed.FS

// FS returns the page's files, index.html at the top.
func FS() fs.FS { return files }
