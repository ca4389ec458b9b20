package mock_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock/mock"
)

// The handler path of a request, two ways. The fake remembers what it read
// of a request (validation, body) per distinct operation, path, query and body:
// memo-hit sends one request over and over, as a client polling with one
// token does; memo-miss sends requests that differ from each other (in the
// whitespace of their JSON bodies) and pays for kin-openapi's validation
// each time. Every answer must carry the errcode the benchmark measures,
// or the benchmark fails: a benchmark of the wrong path measures nothing.

// benchCase is one kind of request.
type benchCase struct {
	method, target string // TOKEN in target stands for a token minted for the demo app
	header         string // "Name: value", or ""
	members        string // the JSON body after its "{" and the blanks that make it distinct
	errcode        int    // of every answer; 0 when the body has none, as a token answer's
}

func BenchmarkGetEnvInfo(b *testing.B) {
	benchHandler(b, benchCase{method: "POST", target: "/tcb/getenvinfo?access_token=TOKEN", members: `"env":"test2-4a89da"}`, errcode: 0})
}

// An answer computed by expressions: login's over the caller's appid, and
// greet's over a field of the body; beside getenvinfo's listing.
func BenchmarkInvokeCloudFunction(b *testing.B) {
	benchHandler(b, benchCase{method: "POST", target: "/tcb/invokecloudfunction?access_token=TOKEN&env=test2-4a89da&name=login", members: `"x":1}`, errcode: 0})
}

func BenchmarkInvokeCloudFunctionByField(b *testing.B) {
	benchHandler(b, benchCase{method: "POST", target: "/tcb/invokecloudfunction?access_token=TOKEN&env=test2-4a89da&name=greet", members: `"name":"Ann"}`, errcode: 0})
}

func BenchmarkGetEnvInfoUnknownToken(b *testing.B) {
	benchHandler(b, benchCase{method: "POST", target: "/tcb/getenvinfo?access_token=97_" + strings.Repeat("x", 140), members: "}", errcode: 40001})
}

func BenchmarkGetEnvInfoScenarioHeader(b *testing.B) {
	benchHandler(b, benchCase{method: "POST", target: "/tcb/getenvinfo?access_token=TOKEN", header: mock.ScenarioHeader + ": system-busy", members: "}", errcode: -1})
}

func BenchmarkStableToken(b *testing.B) {
	benchHandler(b, benchCase{method: "POST", target: "/cgi-bin/stable_token",
		members: `"grant_type":"client_credential","appid":"` + demoAppID + `","secret":"` + demoSecret + `"}`, errcode: 0})
}

// missBatch is how many distinct bodies memo-miss writes, untimed, at a time.
const missBatch = 1024

func benchHandler(b *testing.B, c benchCase) {
	b.Run("memo-hit", func(b *testing.B) {
		s, r, w := c.prepare(b)
		body := c.body(0)
		serve := func() { w.serve(b, s, r, body) }
		serve() // fills the memo
		b.ReportAllocs()
		for b.Loop() {
			serve()
		}
	})
	b.Run("memo-miss", func(b *testing.B) {
		if b.N > 1<<blankBits {
			b.Fatalf("%d requests: only %d bodies differ", b.N, 1<<blankBits)
		}
		s, r, w := c.prepare(b)
		bodies := make([][]byte, missBatch)
		for k := range bodies {
			bodies[k] = c.body(0)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i += missBatch {
			b.StopTimer()
			n := min(missBatch, b.N-i)
			for k := range n {
				putBlanks(bodies[k][1:], i+k)
			}
			b.StartTimer()
			for _, body := range bodies[:n] {
				w.serve(b, s, r, body)
			}
		}
		b.StopTimer()
		checkDistinct(b, s.Journal(mock.Filter{}))
	})
}

// checkDistinct fails the benchmark if two of the requests the journal
// kept had one body: they would have hit the memo.
func checkDistinct(b *testing.B, entries []mock.Entry) {
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		if seen[e.Body] {
			b.Fatalf("two of the last %d requests had the body %q", len(entries), e.Body)
		}
		seen[e.Body] = true
	}
}

// blankBits is how many bits of a request's number its body's blanks spell.
const blankBits = 24

// putBlanks spells i's low blankBits bits in the first blankBits bytes of
// p as spaces and tabs: JSON whitespace that makes bodies of one length differ.
func putBlanks(p []byte, i int) {
	for bit := range blankBits {
		p[bit] = " \t"[i>>bit&1]
	}
}

// body returns the case's i-th distinct body.
func (c benchCase) body(i int) []byte {
	p := []byte("{" + strings.Repeat(" ", blankBits) + c.members)
	putBlanks(p[1:], i)
	return p
}

// prepare returns a fake, the case's request without a body, and a writer.
func (c benchCase) prepare(b *testing.B) (*mock.Server, *http.Request, *answerWriter) {
	s, err := mock.New()
	if err != nil {
		b.Fatal(err)
	}
	r := httptest.NewRequest(c.method, strings.ReplaceAll(c.target, "TOKEN", mintToken(b, s)), nil)
	r.ContentLength = int64(len(c.body(0)))
	if k, v, ok := strings.Cut(c.header, ": "); ok {
		r.Header.Set(k, v)
	}
	return s, r, &answerWriter{header: http.Header{}, errcode: strconv.AppendInt(nil, int64(c.errcode), 10)}
}

func mintToken(b *testing.B, s *mock.Server) string {
	tok, err := s.MintToken(demoAppID, "", 0)
	if err != nil {
		b.Fatal(err)
	}
	return tok
}

// resettable is a request body that can be read again.
type resettable struct{ bytes.Reader }

func (*resettable) Close() error { return nil }

// answerWriter is a ResponseWriter that keeps the status and the body, as
// net/http's own costs are the bare server's too.
type answerWriter struct {
	header  http.Header
	status  int
	body    []byte
	errcode []byte // the text of the errcode every answer must carry
	rb      resettable
}

// serve has s answer r with body, and checks the answer.
func (w *answerWriter) serve(b *testing.B, s *mock.Server, r *http.Request, body []byte) {
	w.rb.Reset(body)
	r.Body = &w.rb
	clear(w.header)
	w.status, w.body = 0, w.body[:0]
	s.ServeHTTP(w, r)
	w.check(b)
}

func (w *answerWriter) Header() http.Header { return w.header }
func (w *answerWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *answerWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.body = append(w.body, p...)
	return len(p), nil
}

var (
	errcodeKey = []byte(`"errcode":`)
	noErrcode  = []byte("0") // a token answer's
)

// check fails the benchmark unless the answer is HTTP 200 with the errcode
// it measures; it reads the errcode without decoding the body, cheaply
// enough to run on every answer.
func (w *answerWriter) check(b *testing.B) {
	got := noErrcode
	if i := bytes.Index(w.body, errcodeKey); i >= 0 {
		got = w.body[i+len(errcodeKey):]
		got = got[:max(bytes.IndexAny(got, ",}"), 0)]
	}
	if w.status != http.StatusOK || !bytes.Equal(got, w.errcode) {
		b.Fatalf("HTTP %d %s; want HTTP 200 with errcode %s", w.status, w.body, w.errcode)
	}
}

func TestBenchBodiesDifferAndAreJSON(t *testing.T) {
	c := benchCase{members: `"env":"e"}`}
	seen := map[string]int{}
	for i := range 1 << 16 {
		for _, n := range []int{i, i << 8} { // the low bits and the high ones
			body := string(c.body(n))
			if prev, ok := seen[body]; ok && prev != n {
				t.Fatalf("bodies %d and %d are both %q", prev, n, body)
			}
			seen[body] = n
			if !json.Valid([]byte(body)) {
				t.Fatalf("body %d, %q, is not JSON", n, body)
			}
		}
	}
}
