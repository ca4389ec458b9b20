package intercept

import (
	"crypto/tls"
	"net"
	"sync"
	"time"
)

// TLSOrPlain returns a listener of ln's connections that serves TLS with
// config to each client that starts with a TLS handshake, and the others
// as they come: HTTPS and HTTP on one port. Its Accept returns a
// [*tls.Conn] for the former, so an [http.Server] sets Request.TLS. A
// client that sends nothing within timeout is closed.
func TLSOrPlain(ln net.Listener, config *tls.Config, timeout time.Duration) net.Listener {
	return &dualListener{Listener: ln, config: config, timeout: timeout, accepted: make(chan accepted), done: make(chan struct{})}
}

type dualListener struct {
	net.Listener
	config    *tls.Config
	timeout   time.Duration
	accepted  chan accepted
	done      chan struct{}
	start     sync.Once
	closeOnce sync.Once
}

// accepted is what the accept loop hands to Accept.
type accepted struct {
	conn net.Conn
	err  error
}

// Accept returns the next connection whose first byte has come.
func (l *dualListener) Accept() (net.Conn, error) {
	l.start.Do(func() { go l.loop() })
	select {
	case a := <-l.accepted:
		return a.conn, a.err
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close closes the listener; connections not yet accepted are closed too.
func (l *dualListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return l.Listener.Close()
}

// loop accepts connections and sniffs each in a goroutine of its own, so
// that a silent client holds up no other. An error is handed to Accept as
// it comes, so that an http.Server backs off on the temporary ones.
func (l *dualListener) loop() {
	for {
		conn, err := l.Listener.Accept()
		if err != nil {
			if !l.hand(accepted{err: err}) {
				return
			}
			continue
		}
		go l.sniff(conn)
	}
}

// sniff reads conn's first byte and hands conn on, as TLS if the byte
// starts a TLS handshake record.
func (l *dualListener) sniff(conn net.Conn) {
	first := make([]byte, 1)
	_ = conn.SetReadDeadline(time.Now().Add(l.timeout))
	if _, err := conn.Read(first); err != nil {
		conn.Close()
		return
	}
	_ = conn.SetReadDeadline(time.Time{})
	var c net.Conn = &prefixConn{Conn: conn, prefix: first}
	if first[0] == recordTypeHandshake {
		c = tls.Server(c, l.config)
	}
	if !l.hand(accepted{conn: c}) {
		conn.Close()
	}
}

// recordTypeHandshake is the first byte of a TLS ClientHello.
const recordTypeHandshake = 0x16

// hand gives a to Accept, and reports false if the listener closed first.
func (l *dualListener) hand(a accepted) bool {
	select {
	case l.accepted <- a:
		return true
	case <-l.done:
		return false
	}
}
