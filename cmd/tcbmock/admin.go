package main

import (
	"cmp"
	"flag"
	"fmt"
	"net"
	"os"

	"github.com/tcbmock/tcbmock/internal/compute"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/proxy"
)

// adminFlags are the flags that say who may use the admin API, of serve
// and proxy alike.
type adminFlags struct {
	token          string
	hosts, origins []string
}

func (f *adminFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.token, "admin-token", "", "require `TOKEN` as a bearer token on the admin API, but for GET /__tcbmock/health (or $TCBMOCK_ADMIN_TOKEN); a request with it needs no --allow-host or --allow-origin")
	fs.Func("allow-host", "without --admin-token, answer the admin API and page for Host `NAME` too (repeatable), besides loopback names and addresses and the host of --addr: the service name of a CI job's container, such as tcbmock; any other Host gets 403, so that no web page can reach them by rebinding its name to this machine", func(name string) error {
		f.hosts = append(f.hosts, name)
		return nil
	})
	fs.Func("allow-origin", "without --admin-token, take admin API writes (POST, DELETE) from web pages of `ORIGIN` too, such as https://tool.example:8443 (repeatable); a browser's write from any other site gets 403. Clients that are not browsers are not refused", func(origin string) error {
		f.origins = append(f.origins, origin)
		return nil
	})
}

// resolve takes the token from $TCBMOCK_ADMIN_TOKEN if the flag gives none,
// and allows the host of addr, the --addr flag.
func (f *adminFlags) resolve(addr string) {
	f.token = cmp.Or(f.token, os.Getenv("TCBMOCK_ADMIN_TOKEN"))
	if host, _, err := net.SplitHostPort(addr); err == nil && host != "" {
		f.hosts = append(f.hosts, host)
	}
}

// mockOptions are the flags as a fake's options.
func (f *adminFlags) mockOptions() []mock.Option {
	return []mock.Option{mock.WithAdminToken(f.token), mock.WithAllowedHosts(f.hosts...), mock.WithAllowedOrigins(f.origins...)}
}

// proxyOptions are the flags as a proxy's options.
func (f *adminFlags) proxyOptions() []proxy.Option {
	return []proxy.Option{proxy.WithAdminToken(f.token), proxy.WithAllowedHosts(f.hosts...), proxy.WithAllowedOrigins(f.origins...)}
}

// journalBytesUsage is the help of --journal-bytes, serve's and proxy's.
var journalBytesUsage = fmt.Sprintf("keep at most `N` bytes of entries in the journal, counted from what each holds (its strings and bookkeeping; at least %d): the oldest go first", mock.MinJournalBytes)

// boundsHelp is what serve -h and proxy -h say of the fake's bounds: each
// keeps an open endpoint from growing its memory, or a web page from
// driving it.
func boundsHelp(tokens bool) string {
	b := fmt.Sprintf(`

Bounds:
  journal     the last --journal-size entries (default %d, at most %d) that
              fit in --journal-bytes (default %d MiB), counted from what each
              entry holds; an entry keeps at most 4 KiB of each of query,
              header, body and answer; the oldest go first
  streams     at most %d journal streams at once (HTTP 503 beyond); each ends
              after a minute, each write is given 10 s, an event holds at
              most %d KiB
  bodies      a request's body is read up to %d MiB`,
		mock.DefaultJournalSize, mock.MaxJournalSize, mock.DefaultJournalBytes>>20, mock.MaxStreams, mock.MaxEventBytes>>10, mock.MaxBodySize>>20)
	if tokens {
		b += fmt.Sprintf(`
  expressions %d nodes each; per evaluation %d MiB of the VM's memory
              budget, %d MiB of result and %v: past one, the operation's
              failed errcode (x-answer's, else -1), the cause journaled`,
			compute.MaxNodes, compute.MemoryBudget>>20, compute.MaxResult>>20, compute.Timeout)
	}
	if tokens {
		b += fmt.Sprintf(`
  tokens      %d per app, platform or authorization from the rotating
              endpoints: the current one and the one it replaced
  quotas      one count per app whose quota is on and API with an x-quota;
              a count of a month that is over goes at the next new day
  world       at most %d apps, components and scenarios added or overridden
              at run time, %d MiB of JSON in all, %d KiB each`, mock.TokensPerOwner,
			mock.MaxRunTimeItems, mock.MaxRunTimeBytes>>20, mock.MaxItemBytes>>10)
	}
	return b + `
  admin API   without --admin-token, only for a loopback Host, the host of
              --addr or an --allow-host NAME (403 else), and no write that a
              browser marks as sent from another site but --allow-origin's`
}
