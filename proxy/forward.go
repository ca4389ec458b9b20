package proxy

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"strings"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
)

// ViolationsHeader is the answer header that lists, one value each, how
// the upstream's answer breaks the spec; absent when it does not.
const ViolationsHeader = "X-Tcbmock-Violations"

// ObservationsHeader is the answer header that lists, one value each, how
// the upstream's answer differs from a choice of the spec (an errmsg text
// no source gives): no violation, but what a maintainer may turn into
// evidence; absent when there is none.
const ObservationsHeader = "X-Tcbmock-Observations"

// observationLines are the exchange's observations, as the header and the
// log write them.
func (p *Proxy) observationLines(x *exchange) []string {
	lines := make([]string, len(x.observations))
	for i, v := range x.observations {
		lines[i] = v.String()
	}
	return lines
}

// maxBody is the most of a body, each way, the proxy holds: a larger one
// is streamed through, unvalidated.
const maxBody = mock.MaxBodySize

// exchangeKey carries an exchange in the context of its forwarded request.
type exchangeKey struct{}

// serveAPI forwards one WeChat API request: the body is read (up to
// maxBody), the request sent to the upstream within the answer timeout,
// and the answer checked (answered) or the failure answered (failed).
func (p *Proxy) serveAPI(w http.ResponseWriter, r *http.Request) {
	x := p.begin(r)
	if r.Method == http.MethodConnect {
		p.refuse(w, x, http.StatusMethodNotAllowed, causeRefused, "CONNECT is not forwarded: the proxy forwards to "+p.upstream.String()+" only")
		return
	}
	body, rest, err := readAtMost(r.Body, maxBody)
	if err != nil {
		p.refuse(w, x, http.StatusBadRequest, causeRefused, "the request's body could not be read: "+err.Error())
		return
	}
	x.body = body
	out := r.Clone(context.WithValue(r.Context(), exchangeKey{}, x))
	ctx, cancel := context.WithTimeout(out.Context(), p.timeouts.Answer)
	defer cancel()
	out = out.WithContext(ctx)
	switch {
	case rest != nil:
		out.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), rest), r.Body}
	case len(body) == 0:
		out.Body = http.NoBody
	default:
		out.Body = io.NopCloser(bytes.NewReader(body))
	}
	p.forward.ServeHTTP(w, out)
}

// rewrite sends the request to the upstream: its scheme and host, the
// request's path and query, every header but the hop-by-hop ones.
func (p *Proxy) rewrite(pr *httputil.ProxyRequest) {
	pr.SetURL(p.upstream)
	for _, h := range []string{"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto"} {
		if v, ok := pr.In.Header[h]; ok {
			pr.Out.Header[h] = v // as the client sent them: the proxy adds none
		}
	}
}

// answered checks the upstream's answer, journals the exchange, and sets
// the violations header. An answer over maxBody is streamed through
// unchecked. An error answers as an upstream failure.
func (p *Proxy) answered(resp *http.Response) error {
	x := resp.Request.Context().Value(exchangeKey{}).(*exchange)
	x.status = resp.StatusCode
	if resp.StatusCode == http.StatusSwitchingProtocols { // its body is the connection, for the client
		x.cause = causeUpgrade
		p.finish(x)
		return nil
	}
	body, rest, err := readAtMost(resp.Body, maxBody)
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	x.answer = body
	if rest != nil {
		x.cause = causeTooLarge
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), rest), resp.Body}
	} else {
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(body))
		p.validate(resp.Request.Context(), x, resp.Header)
	}
	e := p.finish(x)
	if len(e.Violations) > 0 {
		resp.Header[ViolationsHeader] = headerValues(e.Violations)
	}
	if len(x.observations) > 0 {
		resp.Header[ObservationsHeader] = headerValues(p.observationLines(x))
	}
	return nil
}

// validate checks an answer read whole, unless the spec has no operation
// at its path or its encoding is one the proxy cannot read.
func (p *Proxy) validate(ctx context.Context, x *exchange, header http.Header) {
	if x.route == nil {
		x.cause = causeNotInSpec
		return
	}
	decoded, err := decode(header.Get("Content-Encoding"), x.answer)
	if err != nil {
		x.cause = causeEncoded
		return
	}
	x.violations, x.observations = check(ctx, p.spec, x.route, x.r, answer{status: x.status, header: header, body: decoded})
	x.read(decoded)
}

// decode undoes an answer's Content-Encoding: none, identity or gzip.
func decode(encoding string, body []byte) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
		return body, nil
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		out, rest, err := readAtMost(zr, maxBody)
		if err == nil && rest != nil {
			err = errors.New("over 1 MiB once decoded")
		}
		return out, err
	}
	return nil, fmt.Errorf("encoding %q", encoding)
}

// failed answers a request the upstream did not answer (it could not be
// reached, it timed out, its answer broke off): HTTP 502, or 504 on a
// timeout, with a JSON -1 that says so. It is journaled as an upstream
// failure, with no errcode: the errcode is the proxy's, not WeChat's.
func (p *Proxy) failed(w http.ResponseWriter, r *http.Request, err error) {
	x := r.Context().Value(exchangeKey{}).(*exchange)
	status, what := http.StatusBadGateway, "could not be reached or broke off"
	var ne net.Error
	switch {
	case x.r.Context().Err() != nil:
		what = "was left: the client went away"
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()):
		status, what = http.StatusGatewayTimeout, "did not answer in time"
	}
	x.failure = fmt.Sprintf("the upstream %s %s: %v", p.upstream, what, err)
	p.refuse(w, x, status, causeUpstream, x.failure)
}

// refuse answers, in the proxy's own name, a request it could not forward
// or the upstream did not answer: JSON with errcode -1 and what happened.
func (p *Proxy) refuse(w http.ResponseWriter, x *exchange, status int, cause, msg string) {
	errmsg, _ := json.Marshal("tcbmock proxy: " + msg)
	body := fmt.Appendf(nil, `{"errcode":-1,"errmsg":%s}`, errmsg)
	x.status, x.answer, x.cause = status, body, cause
	if x.failure == "" {
		x.failure = msg
	}
	p.finish(x)
	h := w.Header()
	h.Set("Content-Type", apispec.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// readAtMost reads r up to limit bytes. When r holds more, rest reads
// what is left, the byte past the limit first; else rest is nil.
func readAtMost(r io.Reader, limit int) (read []byte, rest io.Reader, err error) {
	if r == nil {
		return nil, nil, nil
	}
	read, err = io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil || len(read) <= limit {
		return read, nil, err
	}
	return read[:limit], io.MultiReader(bytes.NewReader(read[limit:]), r), nil
}
