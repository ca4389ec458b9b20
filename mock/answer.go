package mock

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/tcbmock/tcbmock"
)

// answer is what the fake sends back to one WeChat API request.
type answer struct {
	status      int
	errcode     int  // the errcode the body carries,
	carries     bool // if it carries one
	body        []byte
	contentType string // "" is the real server's

	// How it is delivered: after delay, with fault.
	delay   time.Duration
	fault   string
	dribble time.Duration
}

type errcodeBody struct {
	Errcode int    `json:"errcode"`
	Errmsg  string `json:"errmsg"`
}

// errcodeAnswer is an error answer: errmsg gets the rid suffix.
func errcodeAnswer(code int, errmsg, rid string) answer {
	return answer{status: http.StatusOK, errcode: code, carries: true, body: renderErrcode(code, errmsg, rid)}
}

func okAnswer(v any) answer { return answer{status: http.StatusOK, body: marshal(v)} }

// marshal encodes v as compact JSON, with <, > and & as they are, like the real server.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only the fake's own types come here
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// writeAnswer sends a as the real server does: its status, JSON with the
// real server's Content-Type, and a length.
func writeAnswer(w http.ResponseWriter, a answer) {
	writeHead(w, a)
	_, _ = w.Write(a.body)
}

// writeHead sends a's status and headers.
func writeHead(w http.ResponseWriter, a answer) {
	h := w.Header()
	if a.contentType == "" {
		h["Content-Type"] = contentType // shared: net/http copies, never writes, a header's values
	} else {
		h.Set("Content-Type", a.contentType)
	}
	h.Set("Content-Length", strconv.Itoa(len(a.body)))
	w.WriteHeader(a.status)
}

// contentType is the header value of every answer of the real server.
var contentType = []string{tcbmock.ContentType}
