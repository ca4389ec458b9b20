package main

import (
	"encoding/pem"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"

	"github.com/tcbmock/tcbmock/ca"
	"github.com/tcbmock/tcbmock/intercept"
	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
)

// httpsFlags are serve's flags of HTTPS: the certificate authority of the
// proxy's tunnels, and --tls.
type httpsFlags struct {
	caDir string
	tls   bool
}

func (f *httpsFlags) register(fs *flag.FlagSet) {
	registerCADir(fs, &f.caDir)
	fs.BoolVar(&f.tls, "tls", false, "serve HTTPS too, on the same port, with a certificate for localhost, 127.0.0.1 and api.weixin.qq.com signed by the CA")
}

// registerCADir registers --ca-dir, whose default is the user's cache directory's tcbmock.
func registerCADir(fs *flag.FlagSet, dir *string) {
	def, _ := ca.DefaultDir()
	fs.StringVar(dir, "ca-dir", def, "keep the local certificate authority in `DIR`, made on first need; clients trust DIR/ca.pem")
}

// tlsNames are the names of serve --tls's certificate.
func tlsNames() []string {
	return append([]string{"localhost", "127.0.0.1", "::1"}, intercept.Hosts()...)
}

// caCertPath is where the admin API serves the CA's certificate, to clients
// that cannot read its file (another container's).
const caCertPath = mock.AdminPrefix + "ca.pem"

// serving is what serve listens with and serves.
type serving struct {
	handler http.Handler
	ln      net.Listener
	proxy   *intercept.Proxy
	attrs   []any // for the startup line
}

// https puts h behind the proxy, adds the CA's certificate to the admin
// API, and with --tls serves HTTPS on ln too. The CA is loaded here only
// for --tls: the proxy makes it at its first CONNECT.
func (f *httpsFlags) https(h http.Handler, m *mock.Server, ln net.Listener, o *serveOptions, logger *slog.Logger) (serving, error) {
	authority := ca.New(f.caDir)
	if err := authority.CheckDir(); err != nil {
		return serving{}, fmt.Errorf("tcbmock serve: --ca-dir: %w", err)
	}
	proxy := intercept.New(withCACert(h, authority), authority, intercept.WithRefusals(bridge.Refusals(m)),
		intercept.WithLogger(logger), intercept.WithTimeouts(o.readHeaderTimeout, o.readTimeout, idleTimeout))
	addr := shownAddr(o.addr, ln)
	s := serving{handler: proxy, ln: ln, proxy: proxy, attrs: []any{"https_proxy", "http://" + addr}}
	if authority.Dir() == "" {
		logger.Warn("no directory for the certificate authority: a CONNECT will be answered HTTP 500; set --ca-dir")
	}
	if f.tls {
		if _, err := authority.Leaf(tlsNames()...); err != nil {
			return serving{}, fmt.Errorf("tcbmock serve: --tls: %w", err)
		}
		s.ln = intercept.TLSOrPlain(ln, authority.ServerConfig(tlsNames()...), o.readHeaderTimeout)
		s.attrs = append(s.attrs, "https_url", "https://"+addr)
	}
	if _, err := os.Stat(authority.CertPath()); err == nil {
		s.attrs = append(s.attrs, "ca", authority.CertPath())
	} else {
		s.attrs = append(s.attrs, "ca", "made at the first CONNECT, or now by tcbmock ca")
	}
	return s, nil
}

// withCACert serves the CA's certificate at caCertPath (making the CA if
// need be), and h everywhere else. It needs no admin token: the
// certificate is public.
func withCACert(h http.Handler, authority *ca.CA) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != caCertPath {
			h.ServeHTTP(w, r)
			return
		}
		cert, err := authority.Certificate()
		if err != nil {
			http.Error(w, `{"error":`+strconv.Quote(err.Error())+`}`, http.StatusInternalServerError)
			return
		}
		body := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
		w.Header().Set("Content-Type", "application/x-pem-file")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
}
