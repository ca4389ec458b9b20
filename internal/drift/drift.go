// Package drift is an upstream that drifts from the spec on demand, for
// the tests of tcbmock proxy: it answers as the fake it wraps, then breaks
// the answer in the way the request's Header names.
package drift

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
)

// Header names the drift a request asks for.
const Header = "X-Drift"

// Case is one drift: how to ask for it, and the violation the proxy should
// report for it, of which kind.
type Case struct {
	Name     string
	Scenario string // the scenario the fake answers with first, if any
	Kind     string // the proxy's Kind constant
	Want     string // the violation line
}

// Cases are the drifts, each on a getenvinfo answer: a field missing, a
// time in another format, an errcode outside the table, HTTP 500 on an
// error, a text/plain Content-Type, an errmsg without its rid.
func Cases() []Case {
	return []Case{
		{"missing-field", "", "schema", "/info_list/0/alias: expected present, received absent"},
		{"time-format", "", "schema", `/info_list/0/create_time: expected a string matching ^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$, received "2019-04-04T14:10:28+08:00"`},
		{"errcode-outside-table", "", "errcode", "/errcode: expected an errcode of getEnvInfo's x-errcodes (0, 43002, 41001, 40014, 40001, 42001, 61007, 47001, 40097, -1, -1000, 40101, 44002, 45009, 48001, 85088), received 99999"},
		{"http-500", "system-busy", "status", "HTTP status: expected HTTP 200, received 500"},
		{"text-plain", "", "content-type", `Content-Type: expected application/json; encoding=utf-8, received "text/plain; charset=utf-8"`},
		{"no-rid", "system-busy", "rid", `/errmsg: expected a suffix " rid: xxxxxxxx-xxxxxxxx-xxxxxxxx", received "system error"`},
	}
}

// Handler answers as fake, then breaks the answer as the request's Header
// says; without it the answer is the fake's.
func Handler(fake http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.Header.Get(Header)
		if name == "" {
			fake.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		status, body := rec.Code, rec.Body.Bytes()
		h := w.Header()
		for k, v := range rec.Header() {
			h[k] = v
		}
		switch name {
		case "missing-field":
			body = editFirstEnv(body, func(env map[string]any) { delete(env, "alias") })
		case "time-format":
			body = editFirstEnv(body, func(env map[string]any) { env["create_time"] = "2019-04-04T14:10:28+08:00" })
		case "errcode-outside-table":
			body = []byte(`{"errcode":99999,"errmsg":"unknown error rid: 6b0a3f71-00000000-00000001"}`)
		case "http-500":
			status = http.StatusInternalServerError
		case "text-plain":
			h.Set("Content-Type", "text/plain; charset=utf-8")
		case "no-rid":
			body = ridSuffix.ReplaceAll(body, []byte(`"`))
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

var ridSuffix = regexp.MustCompile(` rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}"`)

// editFirstEnv changes the first env of a getenvinfo answer, keeping the
// order of the rest as far as encoding/json does.
func editFirstEnv(body []byte, edit func(map[string]any)) []byte {
	var answer struct {
		Errcode  int              `json:"errcode"`
		Errmsg   string           `json:"errmsg"`
		InfoList []map[string]any `json:"info_list"`
	}
	if err := json.Unmarshal(body, &answer); err != nil || len(answer.InfoList) == 0 {
		return body
	}
	edit(answer.InfoList[0])
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(answer)
	return bytes.TrimSpace(b.Bytes())
}
