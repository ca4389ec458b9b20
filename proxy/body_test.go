package proxy_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/proxy"
)

// answering answers every request with body, in encoding if not "".
func answering(body []byte, encoding string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", apispec.ContentType)
		if encoding != "" {
			w.Header().Set("Content-Encoding", encoding)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	})
}

// raw sends a request without asking for or undoing any encoding.
func raw(t *testing.T, method, url string, body io.Reader) (*http.Response, []byte) {
	t.Helper()
	r, err := http.NewRequestWithContext(t.Context(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, got
}

func gzipped(t *testing.T, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	_, _ = zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestAnswersTheProxyCannotReadWholeArePassedThroughUnvalidated(t *testing.T) {
	big := []byte(`{"errcode":0,"errmsg":"ok","info_list":[` + strings.Repeat(" ", 2<<20) + `]}`)
	drifted := []byte(`{"errcode":0,"errmsg":"ok","info_list":[{"env":"x"}]}`) // breaks the schema: only read, it would be a violation
	for _, tc := range []struct {
		name, encoding, cause string
		body                  []byte
	}{
		{"over 1 MiB", "", "answer over 1 MiB", big},
		{"in an encoding the proxy does not read", "br", "answer in an unread encoding", drifted},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, srv := startProxy(t, server(t, answering(tc.body, tc.encoding)), &syncBuffer{})
			resp, got := raw(t, "POST", srv.URL+"/tcb/getenvinfo?access_token=97_abc", strings.NewReader("{}"))
			if !bytes.Equal(got, tc.body) || resp.Header.Get(proxy.ViolationsHeader) != "" {
				t.Errorf("got %d bytes, violations %q; want the upstream's %d bytes as they came, unvalidated", len(got), resp.Header.Values(proxy.ViolationsHeader), len(tc.body))
			}
			e := p.Journal(mock.Filter{Cause: tc.cause})
			if len(e) != 1 || len(e[0].Violations) != 0 || len(e[0].Answer) > 4096 {
				t.Errorf("journal %+v; want one entry, cause %q, its answer cut", e, tc.cause)
			}
			if sum := p.Summary(); sum.Unvalidated != 1 || sum.Violating != 0 {
				t.Errorf("summary %+v; want one unvalidated", sum)
			}
		})
	}
}

func TestAGzippedAnswerIsCheckedAndPassedAsItCame(t *testing.T) {
	body := gzipped(t, []byte(`{"errcode":0,"errmsg":"ok","info_list":[{"env":"x"}]}`))
	_, srv := startProxy(t, server(t, answering(body, "gzip")), &syncBuffer{})
	resp, got := raw(t, "POST", srv.URL+"/tcb/getenvinfo?access_token=97_abc", strings.NewReader("{}"))
	if !bytes.Equal(got, body) || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("got %q (%s); want the gzipped bytes as they came", got, resp.Header.Get("Content-Encoding"))
	}
	if v := resp.Header.Values(proxy.ViolationsHeader); !slices.Contains(v, "/info_list/0/alias: expected present, received absent") {
		t.Errorf("violations %q; want those of the decoded answer", v)
	}
}

func TestARequestOverOneMiBReachesTheUpstreamWhole(t *testing.T) {
	echoHash := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		n, _ := io.Copy(h, r.Body)
		fmt.Fprintf(w, `{"errcode":0,"errmsg":"%d %x"}`, n, h.Sum(nil))
	})
	p, srv := startProxy(t, server(t, echoHash), &syncBuffer{})
	body := bytes.Repeat([]byte("0123456789abcdef"), 3<<16) // 3 MiB
	sum := sha256.Sum256(body)
	_, got := raw(t, "POST", srv.URL+"/cgi-bin/media/upload?access_token=97_abc", bytes.NewReader(body))
	if want := fmt.Sprintf(`{"errcode":0,"errmsg":"%d %s"}`, len(body), hex.EncodeToString(sum[:])); string(got) != want {
		t.Errorf("the upstream read %s; want %s", got, want)
	}
	if e := p.Journal(mock.Filter{}); len(e) != 1 || !slices.Contains(e[0].Truncated, "body") || len(e[0].Body) > 4096 {
		t.Errorf("journal %+v; want the body cut", e)
	}
}

func TestTheViolationsHeaderIsBoundedAndASCII(t *testing.T) {
	var envs []string
	for i := range 40 {
		envs = append(envs, fmt.Sprintf(`{"env":"e%d","create_time":"2019-04-04 14:10:28","update_time":"2019-04-04 14:10:28","status":"NORMAL","package_id":"basic","package_name":"基础版 %d","alias":5}`, i, i))
	}
	envs[0] = strings.Replace(envs[0], `"NORMAL"`, `"正常"`, 1)
	body := []byte(`{"errcode":0,"errmsg":"ok","info_list":[` + strings.Join(envs, ",") + `]}`)
	p, srv := startProxy(t, server(t, answering(body, "")), &syncBuffer{})
	resp, _ := raw(t, "POST", srv.URL+"/tcb/getenvinfo?access_token=97_abc", strings.NewReader("{}"))
	v := resp.Header.Values(proxy.ViolationsHeader)
	if len(v) != 16 || !strings.HasPrefix(v[15], "... and 26 more") {
		t.Errorf("got %d values, %q; want 15 and a last that says how many more", len(v), v)
	}
	if want := `/info_list/0/status: expected one of ["NORMAL","HALTED","UNAVAILABLE"], received "\u6b63\u5e38"`; !slices.Contains(v, want) {
		t.Errorf("got %q; want %q among them, escaped", v, want)
	}
	for _, line := range v {
		for _, r := range line {
			if r < 0x20 || r > 0x7e {
				t.Fatalf("value %q holds %q; want printable ASCII", line, r)
			}
		}
	}
	if e := p.Journal(mock.Filter{Violations: true}); len(e) != 1 || len(e[0].Violations) < 40 {
		t.Errorf("journal %+v; want every violation", e)
	}
}

func TestASwitchOfProtocolsIsPassedThroughUnvalidated(t *testing.T) {
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		_, _ = buf.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
		_ = buf.Flush()
		line, _ := buf.ReadString('\n')
		_, _ = conn.Write([]byte("echo: " + line))
	})
	p, srv := startProxy(t, server(t, echo), &syncBuffer{}, proxy.WithTimeouts(proxy.Timeouts{Answer: 2 * time.Second}))
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	_, _ = conn.Write([]byte("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n"))
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("got %v, %v; want HTTP 101", resp, err)
	}
	_, _ = conn.Write([]byte("hello\n"))
	if got, _ := r.ReadString('\n'); got != "echo: hello\n" {
		t.Errorf("got %q; want the upstream's echo through the switched connection", got)
	}
	if e := p.Journal(mock.Filter{Cause: "protocol switched"}); len(e) != 1 || e[0].Status != 101 {
		t.Errorf("journal %+v; want the switch", e)
	}
}
