package proxy_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/tcbmock/tcbmock/internal/drift"
	"github.com/tcbmock/tcbmock/mock"
	"github.com/tcbmock/tcbmock/proxy"
)

func TestConcurrentClientsEachGetTheirOwnAnswerAndTheJournalStaysBounded(t *testing.T) {
	const clients, each, journalSize = 8, 25, 50
	s := newSetup(t, drift.Handler, proxy.WithJournalSize(journalSize))
	cases := drift.Cases()
	var wg sync.WaitGroup
	errs := make(chan error, clients*each)
	for c := range clients {
		tok := token(t, s.srv.URL, demoAppID, demoSecret)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				tc := cases[(c+i)%len(cases)]
				r, _ := http.NewRequestWithContext(t.Context(), "POST", s.srv.URL+"/tcb/getenvinfo?access_token="+tok, strings.NewReader("{}"))
				r.Header.Set(drift.Header, tc.Name)
				if tc.Scenario != "" {
					r.Header.Set(mock.ScenarioHeader, tc.Scenario)
				}
				resp, err := http.DefaultClient.Do(r)
				if err != nil {
					errs <- err
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if got := resp.Header.Values(proxy.ViolationsHeader); len(got) != 1 || got[0] != tc.Want {
					errs <- fmt.Errorf("client %d, %s: got %q; want %q", c, tc.Name, got, tc.Want)
				}
			}
		}()
	}
	stop := make(chan struct{})
	read := make(chan int)
	go func() { // reads the summary as the clients go: a copy, or -race says so
		n := 0
		for {
			select {
			case <-stop:
				read <- n
				return
			default:
			}
			for _, byKind := range s.proxy.Summary().Violations {
				for _, c := range byKind {
					n += c
				}
			}
		}
	}()
	wg.Wait()
	close(stop)
	<-read
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	sum := s.proxy.Summary()
	if want := clients * (each + 1); sum.Exchanges != want || sum.Violating != clients*each {
		t.Errorf("summary %+v; want %d exchanges, %d violating", sum, want, clients*each)
	}
	if n := len(s.proxy.Journal(mock.Filter{})); n != journalSize {
		t.Errorf("the journal holds %d entries; want its bound, %d", n, journalSize)
	}
	if rep := do(t, s.srv.URL, "GET", "/__tcbmock/requests", ""); rep.Status != http.StatusOK {
		t.Errorf("journal: HTTP %d", rep.Status)
	}
}
