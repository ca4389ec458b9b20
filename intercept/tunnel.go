package intercept

import (
	"bytes"
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"strings"
	"sync"
)

// connect opens a tunnel to a served host: it answers 200, terminates the
// client's TLS with a leaf for the host, and hands the connection to the
// tunnels' server, which serves its requests with the proxy itself.
func (p *Proxy) connect(w http.ResponseWriter, r *http.Request) {
	host, port, err := net.SplitHostPort(r.Host)
	if err != nil {
		p.refuse(w, r, http.StatusBadRequest, CauseBadTarget, "CONNECT "+r.Host+": want host:port")
		return
	}
	host, ok := served(host)
	if !ok || port != "443" {
		p.refuse(w, r, http.StatusForbidden, CauseOtherHost, "refused CONNECT "+r.Host+": tcbmock serves only "+hostList()+" on port 443, and never connects anywhere")
		return
	}
	if p.authority == nil {
		p.refuse(w, r, http.StatusInternalServerError, CauseNoCA, "CONNECT "+r.Host+": the proxy has no certificate authority")
		return
	}
	if _, err := p.authority.Leaf(host); err != nil { // made now, so that a failure is answered
		p.logger.Error("no leaf certificate for a CONNECT", "host", host, "err", err)
		p.refuse(w, r, http.StatusInternalServerError, CauseNoCA, "CONNECT "+r.Host+": no certificate: "+oneLine(err))
		return
	}
	conn, buffered, err := http.NewResponseController(w).Hijack()
	if err != nil { // HTTP/2 has no connection to take
		p.refuse(w, r, http.StatusHTTPVersionNotSupported, CauseBadTarget, "CONNECT "+r.Host+": use HTTP/1.1")
		return
	}
	if _, err := conn.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n")); err != nil {
		conn.Close()
		return
	}
	var early []byte // what the client sent after its CONNECT, before our answer
	if n := buffered.Reader.Buffered(); n > 0 {
		early, _ = buffered.Reader.Peek(n)
		early = bytes.Clone(early)
	}
	p.serveTunnel(tls.Server(&prefixConn{Conn: conn, prefix: early}, p.authority.ServerConfig(host)))
}

// serveTunnel hands conn to the tunnels' server, started at the first one.
func (p *Proxy) serveTunnel(conn net.Conn) {
	p.start.Do(func() {
		go func() { _ = p.inner.Serve(p.tunnels) }()
	})
	if !p.tunnels.push(conn) {
		conn.Close()
	}
}

// Shutdown closes the tunnels once their requests are answered, or when
// ctx ends, as [http.Server.Shutdown] does; an [http.Server]'s Shutdown
// does not see them, so call both.
func (p *Proxy) Shutdown(ctx context.Context) error {
	p.tunnels.Close()
	return p.inner.Shutdown(ctx)
}

// Close closes the tunnels at once.
func (p *Proxy) Close() error {
	p.tunnels.Close()
	return p.inner.Close()
}

// tunnels is the listener of the tunnels' server: its connections are
// the tunnels the proxy opened.
type tunnels struct {
	conns     chan net.Conn
	done      chan struct{}
	closeOnce sync.Once
}

func newTunnels() *tunnels {
	return &tunnels{conns: make(chan net.Conn), done: make(chan struct{})}
}

// push hands conn to Accept, and reports false if the listener closed first.
func (t *tunnels) push(conn net.Conn) bool {
	select {
	case t.conns <- conn:
		return true
	case <-t.done:
		return false
	}
}

func (t *tunnels) Accept() (net.Conn, error) {
	select {
	case conn := <-t.conns:
		return conn, nil
	case <-t.done:
		return nil, net.ErrClosed
	}
}

func (t *tunnels) Close() error {
	t.closeOnce.Do(func() { close(t.done) })
	return nil
}

func (t *tunnels) Addr() net.Addr { return tunnelAddr{} }

// tunnelAddr is the address of the tunnels' listener, which has none.
type tunnelAddr struct{}

func (tunnelAddr) Network() string { return "tunnel" }
func (tunnelAddr) String() string  { return "tunnels" }

// prefixConn is a connection whose first bytes were read already.
type prefixConn struct {
	net.Conn
	prefix []byte
}

func (c *prefixConn) Read(b []byte) (int, error) {
	if len(c.prefix) > 0 {
		n := copy(b, c.prefix)
		c.prefix = c.prefix[n:]
		return n, nil
	}
	return c.Conn.Read(b)
}

// oneLine returns err's message on one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
