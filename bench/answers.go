package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

// check refuses a load whose answers were not all HTTP 2xx with the case's errcode.
func (c benchCase) check(l loadResult) error {
	if l.Requests == 0 {
		return errors.New("no answer")
	}
	if l.Good == l.Requests {
		return nil
	}
	return fmt.Errorf("%d of %d answers were not HTTP 2xx with errcode %d (not 2xx, by status: %v; other errcodes: %v), such as %s",
		l.Requests-l.Good, l.Requests, c.errcode, l.Statuses, l.Errcodes, l.FirstBad)
}

// checkAnswer refuses an answer that is not HTTP 2xx with the case's
// errcode (0 when the body has none, as a token answer's).
func (c benchCase) checkAnswer(status int, body []byte) error {
	var a struct {
		Errcode int `json:"errcode"`
	}
	if status/100 != 2 {
		return fmt.Errorf("HTTP %d %.200s; want HTTP 2xx with errcode %d", status, body, c.errcode)
	}
	if err := json.Unmarshal(body, &a); err != nil || a.Errcode != c.errcode {
		return fmt.Errorf("%.200s; want errcode %d", body, c.errcode)
	}
	return nil
}

// mintToken asks the fake's admin API for a token of the default world's first app.
func mintToken(base string) (string, error) {
	resp, err := http.Post(base+"/__tcbmock/tokens", "application/json", strings.NewReader(`{"appid":"wxd0c0ffee00000001","expires_in":86400}`))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &tok) != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("minting a token: HTTP %d %.200s", resp.StatusCode, body)
	}
	return tok.AccessToken, nil
}

// sample sends the case once, checks the answer, and keeps its body in file.
func sample(c benchCase, target, file string) (string, error) {
	req, err := http.NewRequest(c.method, target, strings.NewReader(c.body))
	if err != nil {
		return "", err
	}
	if k, v, ok := strings.Cut(c.header, ": "); ok {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if err := c.checkAnswer(resp.StatusCode, body); err != nil {
		return "", fmt.Errorf("the sample answer: %w", err)
	}
	return resp.Header.Get("Content-Type"), os.WriteFile(file, body, 0o644)
}
