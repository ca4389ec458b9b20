package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// lifecycle is what serve and proxy share: the listener, the HTTP server
// on it, the startup line, and the shutdown on a signal.
type lifecycle struct {
	cmd    string // "tcbmock serve", in messages
	addr   string // the --addr the user gave
	logger *slog.Logger
	ln     net.Listener
	srv    *http.Server
	// stops shut down with the server, such as the intercepting proxy.
	stops []func(context.Context) error
}

// idleTimeout is how long serve and proxy keep an idle connection open.
const idleTimeout = 2 * time.Minute

// shutdownTimeout is how long a shutdown waits for the requests in flight.
const shutdownTimeout = 5 * time.Second

// listen listens on addr for cmd, and warns when the admin API is open to
// the network without a token; risk says what whoever reaches it can do.
func listen(cmd, addr string, admin *adminFlags, risk string, logger *slog.Logger) (*lifecycle, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmd, err)
	}
	if admin.token == "" && !isLoopback(ln.Addr()) {
		logger.Warn("the admin API is open to the network: whoever reaches it can "+risk+"; set --admin-token", "addr", ln.Addr().String())
	}
	return &lifecycle{cmd: cmd, addr: addr, logger: logger, ln: ln}, nil
}

// isLoopback reports whether addr only listens on the loopback interface.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// url is the base URL the startup line shows.
func (l *lifecycle) url() string { return "http://" + shownAddr(l.addr, l.ln) }

// shownAddr is the address a startup line shows for a listener opened on
// requested: the host as the user gave it (0.0.0.0 rather than the [::]
// Go reports for it), the port as the listener got it.
func shownAddr(requested string, ln net.Listener) string {
	host, _, err := net.SplitHostPort(requested)
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	if err != nil || port == "" {
		return ln.Addr().String()
	}
	return net.JoinHostPort(cmp.Or(host, "0.0.0.0"), port)
}

// handle makes the server that serves h, closing connections whose
// request headers take longer than readHeader, or the whole request
// longer than read.
func (l *lifecycle) handle(h http.Handler, readHeader, read time.Duration) *http.Server {
	l.srv = &http.Server{Handler: h, ReadHeaderTimeout: readHeader, ReadTimeout: read, IdleTimeout: idleTimeout,
		ErrorLog: slog.NewLogLogger(l.logger.Handler(), slog.LevelWarn)}
	return l.srv
}

// run logs the startup line, msg with attrs, and serves until ctx ends;
// then it shuts the server and stops down, waiting at most
// shutdownTimeout for the requests in flight. It returns at once, with
// failed, when serving fails; stopped is what went wrong in the shutdown.
func (l *lifecycle) run(ctx context.Context, msg string, attrs ...any) (failed, stopped error) {
	l.logger.Info(msg, attrs...)
	errc := make(chan error, 1)
	go func() { errc <- l.srv.Serve(l.ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("%s: %w", l.cmd, err), nil
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	errs := []error{l.srv.Shutdown(shutdown)}
	for _, stop := range l.stops {
		errs = append(errs, stop(shutdown))
	}
	<-errc
	if err := errors.Join(errs...); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return nil, err
	}
	return nil, nil
}
