package mock_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/mock"
)

// served serves f over HTTP until the test ends.
func served(t *testing.T, f *fake) string {
	t.Helper()
	srv := httptest.NewServer(f.Server)
	t.Cleanup(func() { f.CloseStreams(); srv.Close() })
	return srv.URL
}

// stream is a client of GET requests/stream.
type stream struct {
	t    *testing.T
	resp *http.Response
	r    *bufio.Reader
}

type event struct{ name, id, data string }

type requestsEvent struct {
	Requests []mock.Entry
	Unseen   int
}

// openStream opens the stream at base with query, sending header lines;
// reading it fails the test after 10 s.
func openStream(t *testing.T, base, query string, header ...string) *stream {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/__tcbmock/requests/stream"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range header {
		if h == "" {
			continue
		}
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(k, strings.TrimSpace(v))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return &stream{t: t, resp: resp, r: bufio.NewReader(resp.Body)}
}

// next reads the next event, skipping comments.
func (s *stream) next() event {
	s.t.Helper()
	var ev event
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			s.t.Fatalf("reading the stream: %v (after %q)", err, line)
		}
		line = strings.TrimSuffix(line, "\n")
		switch k, v, _ := strings.Cut(line, ": "); {
		case line == "" && ev.data != "":
			return ev
		case k == "event":
			ev.name = v
		case k == "id":
			ev.id = v
		case k == "data":
			ev.data = v
		}
	}
}

// requests reads the next event, which must be a requests event.
func (s *stream) requests() (requestsEvent, string) {
	s.t.Helper()
	ev := s.next()
	if ev.name != "requests" {
		s.t.Fatalf("got a %q event %s; want requests", ev.name, ev.data)
	}
	var out requestsEvent
	if err := json.Unmarshal([]byte(ev.data), &out); err != nil {
		s.t.Fatal(err)
	}
	return out, ev.id
}

// ends reads the stream to its end, which must come within 2 s.
func (s *stream) ends() {
	s.t.Helper()
	done := make(chan error, 1)
	go func() { _, err := io.Copy(io.Discard, s.r); done <- err }()
	select {
	case err := <-done:
		if err != nil && !errors.Is(err, io.EOF) {
			s.t.Errorf("the stream ended with %v; want its end", err)
		}
	case <-time.After(2 * time.Second):
		s.t.Error("the stream did not end within 2 s")
	}
}

func rids(entries []mock.Entry) []string {
	out := make([]string, len(entries))
	for i, e := range entries {
		out[i] = e.RID
	}
	return out
}

func TestStreamSendsTheJournalThenWhatComes(t *testing.T) {
	f := newFake(t)
	base := served(t, f)
	f.envs("", "{}")
	f.envs("", `{"env":"x"}`)
	s := openStream(t, base, "")
	if ct := s.resp.Header.Get("Content-Type"); s.resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("got HTTP %d %s; want 200 text/event-stream", s.resp.StatusCode, ct)
	}
	first, id := s.requests()
	if got := rids(first.Requests); strings.Join(got, ",") != strings.Join(rids(f.Journal(mock.Filter{})), ",") || first.Unseen != 0 || id != "0-2" {
		t.Errorf("first event: rids %v, unseen %d, id %q; want the journal's, oldest first, 0 and 0-2", got, first.Unseen, id)
	}
	rep := f.envs("", "{}", mock.ScenarioHeader+": system-busy")
	next, id := s.requests()
	if len(next.Requests) != 1 || !strings.HasSuffix(rep.Errmsg, next.Requests[0].RID) || *next.Requests[0].Errcode != -1 || id != "0-3" {
		t.Errorf("next event: %+v, id %q; want the new exchange alone, id 0-3", next, id)
	}
}

func TestStreamStartsWithTheNewestAndCountsTheOlder(t *testing.T) {
	f := newFake(t)
	for i := range 250 {
		f.envs("", `{"n":`+strconv.Itoa(i)+`}`)
	}
	first, _ := openStream(t, served(t, f), "").requests()
	if n := len(first.Requests); n != 200 || first.Unseen != 50 || first.Requests[199].Body != `{"n":249}` || first.Requests[0].Body != `{"n":50}` {
		t.Errorf("got %d entries, unseen %d; want the newest 200, oldest first, and 50 unseen", n, first.Unseen)
	}
}

func TestStreamFiltersAsRequestsDoes(t *testing.T) {
	f := newFake(t)
	base := served(t, f)
	f.envs("", "{}")
	f.envs("", "{}", mock.ScenarioHeader+": system-busy")
	s := openStream(t, base, "?errcode=-1&path=/tcb/getenvinfo")
	first, _ := s.requests()
	if len(first.Requests) != 1 || first.Requests[0].Scenario != "system-busy" {
		t.Errorf("first event %+v; want the forced -1 alone", first)
	}
	f.envs("", "{}")
	f.envs("", "{}", mock.ScenarioHeader+": system-busy")
	next, _ := s.requests()
	if len(next.Requests) != 1 || *next.Requests[0].Errcode != -1 {
		t.Errorf("next event %+v; want the new -1 alone", next)
	}
}

func TestStreamSaysWhenTheJournalIsEmptied(t *testing.T) {
	f := newFake(t)
	base := served(t, f)
	f.envs("", "{}")
	s := openStream(t, base, "")
	s.requests()
	f.do("DELETE", "/__tcbmock/requests", "")
	f.envs("", `{"after":"clear"}`)
	if ev := s.next(); ev.name != "clear" {
		t.Fatalf("got a %q event; want clear", ev.name)
	}
	next, id := s.requests()
	if len(next.Requests) != 1 || next.Requests[0].Body != `{"after":"clear"}` || id != "1-2" {
		t.Errorf("after the clear: %+v, id %q; want the one new entry, 1-2", next, id)
	}
}

func TestStreamResumesAfterLastEventID(t *testing.T) {
	f := newFake(t)
	base := served(t, f)
	f.envs("", "{}")
	_, id := openStream(t, base, "").requests()
	f.envs("", `{"n":1}`)
	f.envs("", `{"n":2}`)
	for _, tc := range []struct {
		name, lastID string
		cleared      bool
		want         int
	}{
		{"its last id: what came after", id, false, 2},
		{"an id of another journal: all of it, after a clear", "7-1", true, 3},
		{"an id ahead of the journal: all of it, after a clear", "0-99", true, 3},
		{"not an id: all of it", "yesterday", false, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStream(t, base, "", "Last-Event-ID: "+tc.lastID)
			if tc.cleared {
				if ev := s.next(); ev.name != "clear" {
					t.Fatalf("got a %q event; want clear first", ev.name)
				}
			}
			if got, _ := s.requests(); len(got.Requests) != tc.want {
				t.Errorf("got %d entries; want %d", len(got.Requests), tc.want)
			}
		})
	}
}

func TestStreamRefusesABadFilterAndNeedsTheAdminToken(t *testing.T) {
	f := newFake(t, mock.WithAdminToken("s3cret"))
	base := served(t, f)
	for _, tc := range []struct {
		name, query, header string
		status              int
	}{
		{"no token", "", "", http.StatusUnauthorized},
		{"a wrong token", "", "Authorization: Bearer nope", http.StatusUnauthorized},
		{"a bad filter", "?errcode=x", "Authorization: Bearer s3cret", http.StatusBadRequest},
		{"an unknown filter", "?colour=red", "Authorization: Bearer s3cret", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStream(t, base, tc.query, tc.header)
			body, _ := io.ReadAll(s.r)
			if s.resp.StatusCode != tc.status || !strings.HasPrefix(string(body), `{"error":`) {
				t.Errorf("got HTTP %d %s; want %d and a JSON error", s.resp.StatusCode, body, tc.status)
			}
		})
	}
}

func TestStreamEndsAfterItsLifetime(t *testing.T) {
	f := newFake(t)
	f.SetStreamTiming(5*time.Millisecond, 100*time.Millisecond)
	s := openStream(t, served(t, f), "")
	s.requests()
	s.ends()
}

func TestStreamEndsOnCloseStreams(t *testing.T) {
	f := newFake(t)
	f.SetStreamTiming(5*time.Millisecond, time.Hour)
	base := served(t, f)
	s := openStream(t, base, "")
	s.requests()
	f.CloseStreams()
	s.ends()
	s = openStream(t, base, "") // after CloseStreams, a stream says what it has and ends
	s.requests()
	s.ends()
}
