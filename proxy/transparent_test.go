package proxy_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/mock"
)

// exchangeHeader numbers each request the client sends through the proxy,
// so that the upstream's answer to it can be found.
const exchangeHeader = "X-Test-Exchange"

// sent is an answer as the upstream's handler wrote it.
type sent struct {
	status int
	header http.Header
	body   []byte
}

// capture keeps what the upstream's handler writes to each numbered request.
type capture struct {
	mu   sync.Mutex
	sent map[string]*sent
}

func (c *capture) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(exchangeHeader)
		if id == "" {
			h.ServeHTTP(w, r)
			return
		}
		s := &sent{}
		h.ServeHTTP(&capturing{ResponseWriter: w, s: s}, r)
		c.mu.Lock()
		c.sent[id] = s
		c.mu.Unlock()
	})
}

type capturing struct {
	http.ResponseWriter
	s *sent
}

func (c *capturing) WriteHeader(status int) {
	c.s.status, c.s.header = status, c.Header().Clone()
	c.ResponseWriter.WriteHeader(status)
}

func (c *capturing) Write(b []byte) (int, error) {
	if c.s.status == 0 {
		c.WriteHeader(http.StatusOK)
	}
	c.s.body = append(c.s.body, b...)
	return c.ResponseWriter.Write(b)
}

// comparing is the client's transport: the admin API goes to the fake
// itself, every other request through the proxy, and each answer the
// client gets is compared with what the upstream sent.
type comparing struct {
	proxy, fake *url.URL
	capture     *capture
	n           atomic.Int64
	mu          sync.Mutex
	compared    int
	diffs       []string
}

func (c *comparing) RoundTrip(r *http.Request) (*http.Response, error) {
	out := r.Clone(r.Context())
	if strings.HasPrefix(r.URL.Path, mock.AdminPrefix) {
		out.URL.Host = c.fake.Host
		return http.DefaultTransport.RoundTrip(out)
	}
	id := strconv.FormatInt(c.n.Add(1), 10)
	out.URL.Host = c.proxy.Host
	out.Header.Set(exchangeHeader, id)
	resp, err := http.DefaultTransport.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	c.compare(r, id, resp, body)
	return resp, nil
}

// compare notes each way the client's answer differs from the upstream's:
// the status, a header the upstream set, a header it did not set (but the
// Date its server adds), a byte of the body.
func (c *comparing) compare(r *http.Request, id string, resp *http.Response, body []byte) {
	c.capture.mu.Lock()
	up := c.capture.sent[id]
	c.capture.mu.Unlock()
	var diffs []string
	switch {
	case up == nil:
		diffs = append(diffs, "the upstream never answered it")
	case resp.StatusCode != up.status:
		diffs = append(diffs, fmt.Sprintf("status %d; the upstream's %d", resp.StatusCode, up.status))
	case !bytes.Equal(body, up.body):
		diffs = append(diffs, fmt.Sprintf("body %q; the upstream's %q", body, up.body))
	}
	if up != nil {
		for k, v := range up.header {
			if !slices.Equal(resp.Header[k], v) {
				diffs = append(diffs, fmt.Sprintf("header %s %q; the upstream's %q", k, resp.Header[k], v))
			}
		}
		for k, v := range resp.Header {
			if _, ok := up.header[k]; !ok && k != "Date" {
				diffs = append(diffs, fmt.Sprintf("header %s %q; the upstream sent none", k, v))
			}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.compared++
	for _, d := range diffs {
		c.diffs = append(c.diffs, r.Method+" "+r.URL.Path+": "+d)
	}
}

func TestTheWholeSuiteThroughTheProxyGetsTheUpstreamsBytesAndNoViolation(t *testing.T) {
	cap := &capture{sent: map[string]*sent{}}
	s := newSetup(t, cap.wrap)
	proxyURL, _ := url.Parse(s.srv.URL)
	fakeURL, _ := url.Parse(s.upstream.URL)
	client := &comparing{proxy: proxyURL, fake: fakeURL, capture: cap}
	target := &contract.Target{BaseURL: s.srv.URL, Client: &http.Client{Transport: client}, Admin: true}
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out, Format: "progress"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed(true) || len(res.Skipped) != 0 {
		t.Errorf("the suite through the proxy: failed %v, skipped %v\n%s", res.Failed, res.Skipped, out.String())
	}
	t.Logf("%d answers compared", client.compared)
	if client.compared < 100 {
		t.Errorf("compared %d answers; want the suite's, over 100", client.compared)
	}
	for _, d := range client.diffs {
		t.Errorf("the client's answer differs from the upstream's: %s", d)
	}
	sum := s.proxy.Summary()
	if sum.Exchanges != client.compared || sum.Violating != 0 || sum.NotInSpec != 0 || sum.UpstreamFailures != 0 || sum.Unvalidated != 0 {
		t.Errorf("summary %+v; want %d exchanges and nothing else", sum, client.compared)
	}
	if bad := journal(t, s.srv.URL, "?violations=1"); len(bad) != 0 {
		t.Errorf("the journal lists %d exchanges with violations; want none: %+v", len(bad), bad[0])
	}
	if log := s.log.String(); log != "" {
		t.Errorf("the proxy logged %q; want nothing", log)
	}
}
