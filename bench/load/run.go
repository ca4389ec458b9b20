package main

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"net"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// config is a run: the request's bytes, where to send them, the errcode
// of a good answer, and the bounds.
type config struct {
	addr    string
	req     []byte
	errcode int
	conns   int
	dur     time.Duration
	count   int64 // 0: only dur bounds the run
}

// run drives cfg.conns connections until cfg.dur has passed or cfg.count
// requests were answered.
func run(cfg config) (result, error) {
	var sent, failed atomic.Int64
	stop := time.Now().Add(cfg.dur)
	want := strconv.AppendInt(nil, int64(cfg.errcode), 10)
	tallies := make([]tally, cfg.conns)
	var wg sync.WaitGroup
	errc := make(chan error, cfg.conns)
	start := time.Now()
	for i := range cfg.conns {
		wg.Go(func() {
			conn, err := net.Dial("tcp", cfg.addr)
			if err != nil {
				errc <- err
				return
			}
			defer conn.Close()
			r := bufio.NewReaderSize(conn, 16<<10)
			var body []byte
			for time.Now().Before(stop) && (cfg.count == 0 || sent.Add(1) <= cfg.count) {
				t0 := time.Now()
				if _, err := conn.Write(cfg.req); err != nil {
					failed.Add(1)
					return
				}
				status, err := readResponse(r, &body)
				if err != nil {
					failed.Add(1)
					return
				}
				tallies[i].add(time.Since(t0), status, body, want)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errc)
	if err := <-errc; err != nil {
		return result{}, err
	}
	res := total(tallies)
	res.Errors, res.Seconds = failed.Load(), elapsed.Seconds()
	if res.Requests == 0 {
		return res, errors.New("no request was answered")
	}
	res.RPS = float64(res.Requests) / elapsed.Seconds()
	return res, nil
}

// tally is what one connection received.
type tally struct {
	lat      []time.Duration
	good     int64
	statuses map[int]int64
	errcodes map[string]int64
	firstBad string
}

// add counts an answer: good when HTTP 2xx with the errcode want.
func (t *tally) add(lat time.Duration, status int, body, want []byte) {
	t.lat = append(t.lat, lat)
	code := errcodeOf(body)
	switch {
	case status < 200 || status > 299:
		if t.statuses == nil {
			t.statuses = map[int]int64{}
		}
		t.statuses[status]++
	case !bytes.Equal(code, want):
		if t.errcodes == nil {
			t.errcodes = map[string]int64{}
		}
		t.errcodes[string(code)]++
	default:
		t.good++
		return
	}
	if t.firstBad == "" {
		t.firstBad = fmt.Sprintf("HTTP %d %.200s", status, body)
	}
}

// total adds up the tallies: counts, and latency percentiles over every answer.
func total(tallies []tally) result {
	var res result
	var lat []time.Duration
	for _, t := range tallies {
		lat = append(lat, t.lat...)
		res.Good += t.good
		res.Statuses = addCounts(res.Statuses, t.statuses)
		res.Errcodes = addCounts(res.Errcodes, t.errcodes)
		res.FirstBad = cmp.Or(res.FirstBad, t.firstBad)
	}
	res.Requests = int64(len(lat))
	if len(lat) > 0 {
		slices.Sort(lat)
		res.P50ms = ms(lat[len(lat)/2])
		res.P99ms = ms(lat[len(lat)*99/100])
	}
	return res
}

// addCounts adds b's counts to a, which it makes when b has any.
func addCounts[K comparable](a, b map[K]int64) map[K]int64 {
	for k, n := range b {
		if a == nil {
			a = map[K]int64{}
		}
		a[k] += n
	}
	return a
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
