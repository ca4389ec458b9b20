// Package bridge hands tcbmock's own packages the parts of a mock server
// that are not package mock's API: a configuration's spec, the journal-only
// mode and the journaling of exchanges answered elsewhere (tcbmock proxy),
// the journaling of refusals (an intercepting proxy in front of the fake)
// and the admin API's guard (the command's profiler).
//
// Package mock sets the functions when it is initialised, as
// golang.org/x/tools' go/packages sets packagesinternal's; nothing changes
// them after. A program that imports this package also imports mock, so
// they are set before any of its code runs. The arguments and results
// typed any are package mock's types, named beside each.
package bridge

import (
	"net/http"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

// Exchange is a request that something else answered, such as the
// upstream of tcbmock proxy, for a server to journal with [RecordExchange].
type Exchange struct {
	Time    time.Time     // when it came; the server's clock when zero
	Request *http.Request // its method, path, query and header; its Body is not read
	Body    []byte        // the request's body, as much of it as was read
	Status  int           // the HTTP status of the answer
	Answer  []byte        // the answer's body, as much of it as was read
	Errcode *int          // the errcode the answer carried, if it carried one
	RID     string        // the request id the answer gave, if any

	AppID     string // who the request acted for, if known
	Component string // the platform it acted through, if any
	Env       string // the entity it asked for, if any
	// Cause says why the answer was not validated as usual, such as "not
	// in the spec"; "" when it was.
	Cause string
	// Violations are how the answer breaks the spec, one line each.
	Violations []string
}

var (
	// Spec returns the spec of a *mock.Config.
	Spec func(config any) *apispec.Spec

	// JournalOnly returns the mock.Option that makes a server a journal of
	// exchanges answered elsewhere ([RecordExchange]), as tcbmock proxy
	// uses it: its admin API serves health, config and requests, and
	// nothing that acts on a world (tokens, clock, reset, apps, scenarios).
	JournalOnly func() any

	// RecordExchange journals x in a *mock.Server as the server journals
	// the requests it answers: each part cut, and with mock.WithRedaction
	// every credential in it, in its violations too, a placeholder. The
	// operation is the spec's at the request's path. It returns the
	// mock.Entry as the journal keeps it.
	RecordExchange func(server any, x Exchange) any

	// Refusals returns the function that journals, in a *mock.Server, a
	// request refused before it reached the server, such as a proxy
	// request for a host the fake does not serve (package intercept's
	// WithRefusals): its method, its target as the path (the host and port
	// of a CONNECT, the URL without its query of any other), its query and
	// headers, the status and body sent, and cause. The entry has no
	// operation, errcode or rid.
	Refusals func(server any) func(r *http.Request, status int, cause string, body []byte)

	// Guard serves h behind a *mock.Server's admin guard (its token, or
	// without one its Host and origin checks): for a handler a program
	// adds under mock.AdminPrefix, such as Go's profiler.
	Guard func(server any, h http.Handler) http.Handler
)
