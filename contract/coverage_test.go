package contract_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/internal/bridge"
	"github.com/tcbmock/tcbmock/mock"
)

// answered records, per operation, the errcodes the fake answered.
type answered struct {
	mu   sync.Mutex
	seen map[string]map[int]bool
}

// wrap records the WeChat answers of m.
func (a *answered) wrap(m *mock.Server) http.Handler {
	a.seen = map[string]map[int]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		if rt := bridge.Spec(m.Config()).Match(r); rt != nil && !strings.HasPrefix(r.URL.Path, mock.AdminPrefix) {
			var body struct{ Errcode int }
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			a.mu.Lock()
			if a.seen[rt.ID] == nil {
				a.seen[rt.ID] = map[int]bool{}
			}
			a.seen[rt.ID][body.Errcode] = true
			a.mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func TestFeaturesProvokeEverySpecErrcode(t *testing.T) {
	m, err := mock.New()
	if err != nil {
		t.Fatal(err)
	}
	var a answered
	target, err := contract.HandlerTarget(t.Context(), a.wrap(m), nil)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, Output: &out, Format: "progress"})
	if err != nil || !res.Passed(true) {
		t.Fatalf("the suite failed: %v\n%s", err, out.String())
	}
	for _, op := range bridge.Spec(m.Config()).Operations() {
		for _, row := range op.Errcodes {
			if !a.seen[op.ID][row.Code] {
				t.Errorf("%s: no feature scenario provokes errcode %d", op.ID, row.Code)
			}
		}
	}
}
