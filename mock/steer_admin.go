package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gorilla/mux"
)

// AddApp adds an app to the world, written as a world file writes one:
// JSON, or a value encoding/json encodes (an [App], a map). It is checked
// as lint checks the same app in a file; a name taken is [ErrItemExists].
// The error is an [*ItemError].
func (s *Server) AddApp(ctx context.Context, app any) error { return s.addAny(ctx, appItems, app) }

// PutApp replaces the app appid added at run time with app; of an app of
// the files, it overrides the fields app gives until [Server.ResetWorld];
// an appid that names nothing is added.
func (s *Server) PutApp(ctx context.Context, appid string, app any) error {
	return s.putAny(ctx, appItems, appid, app)
}

// DeleteApp removes the app appid added at run time, with its tokens and
// sequences, or the override of an app of the files.
func (s *Server) DeleteApp(appid string) error { return s.removeErr(appItems, appid) }

// AddComponent adds a third-party platform to the world, as [Server.AddApp] adds an app.
func (s *Server) AddComponent(ctx context.Context, component any) error {
	return s.addAny(ctx, componentItems, component)
}

// PutComponent replaces or overrides the platform appid, as [Server.PutApp] an app.
func (s *Server) PutComponent(ctx context.Context, appid string, component any) error {
	return s.putAny(ctx, componentItems, appid, component)
}

// DeleteComponent removes the platform appid, as [Server.DeleteApp] an app.
func (s *Server) DeleteComponent(appid string) error { return s.removeErr(componentItems, appid) }

// AddScenario adds a scenario, written as a scenario file writes one, as
// [Server.AddApp] adds an app.
func (s *Server) AddScenario(ctx context.Context, scenario any) error {
	return s.addAny(ctx, scenarioItems, scenario)
}

// PutScenario replaces or overrides the scenario name, as [Server.PutApp] an app.
func (s *Server) PutScenario(ctx context.Context, name string, scenario any) error {
	return s.putAny(ctx, scenarioItems, name, scenario)
}

// DeleteScenario removes the scenario name, as [Server.DeleteApp] an app,
// with the positions of its sequences.
func (s *Server) DeleteScenario(name string) error { return s.removeErr(scenarioItems, name) }

func (s *Server) addAny(ctx context.Context, k *itemKind, v any) error {
	body, err := jsonOf(v)
	if err == nil {
		_, err = s.add(ctx, k, body)
	}
	return err
}

func (s *Server) putAny(ctx context.Context, k *itemKind, id string, v any) error {
	body, err := jsonOf(v)
	if err == nil {
		_, _, err = s.put(ctx, k, id, body)
	}
	return err
}

func (s *Server) removeErr(k *itemKind, id string) error {
	_, err := s.remove(k, id)
	return err
}

// jsonOf returns v as JSON: v itself when it is JSON already.
func jsonOf(v any) ([]byte, error) {
	switch b := v.(type) {
	case []byte:
		return b, nil
	case json.RawMessage:
		return b, nil
	case string:
		return []byte(b), nil
	case App: // its JSON is its pointer's
		v = &b
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, itemError(ErrItemInvalid, "$: %v", err)
	}
	return b, nil
}

// steerRoutes routes the admin API's changes to the world.
func (s *Server) steerRoutes(a *mux.Router) {
	for _, k := range []*itemKind{appItems, componentItems, scenarioItems} {
		a.HandleFunc("/"+k.list, s.adminAdd(k)).Methods(http.MethodPost)
		a.HandleFunc("/"+k.list+"/{id}", s.adminPut(k)).Methods(http.MethodPut)
		a.HandleFunc("/"+k.list+"/{id}", s.adminDelete(k)).Methods(http.MethodDelete)
	}
}

func (s *Server) adminAdd(k *itemKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, ok := readItem(w, r)
		if !ok {
			return
		}
		it, err := s.add(r.Context(), k, body)
		answerItem(w, k, it, http.StatusCreated, err)
	}
}

func (s *Server) adminPut(k *itemKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, ok := readItem(w, r)
		if !ok {
			return
		}
		it, added, err := s.put(r.Context(), k, mux.Vars(r)["id"], body)
		status := http.StatusOK
		if added {
			status = http.StatusCreated
		}
		answerItem(w, k, it, status, err)
	}
}

func (s *Server) adminDelete(k *itemKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		it, err := s.remove(k, mux.Vars(r)["id"])
		answerItem(w, k, it, http.StatusOK, err)
	}
}

// readItem reads an item posted to the admin API, at most MaxItemBytes.
func readItem(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxItemBytes))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		writeJSON(w, http.StatusRequestEntityTooLarge, adminError{fmt.Sprintf("an item holds at most %d bytes", MaxItemBytes)})
		return nil, false
	case err != nil:
		writeJSON(w, http.StatusBadRequest, adminError{"reading the body: " + err.Error()})
		return nil, false
	}
	return body, true
}

// itemProblems is the answer to a change refused.
type itemProblems struct {
	Error    string   `json:"error"`
	Problems []string `json:"problems"`
}

// itemStatus is the HTTP status of each error of a change refused.
var itemStatus = map[error]int{
	ErrItemInvalid:  http.StatusBadRequest,
	ErrItemExists:   http.StatusConflict,
	ErrItemInUse:    http.StatusConflict,
	ErrItemFromFile: http.StatusConflict,
	ErrItemUnknown:  http.StatusNotFound,
	ErrItemTooLarge: http.StatusRequestEntityTooLarge,
	ErrWorldFull:    http.StatusInsufficientStorage,
}

// answerItem answers a change: the item as the listings show it, or why
// it was refused.
func answerItem(w http.ResponseWriter, k *itemKind, it *runItem, status int, err error) {
	var ie *ItemError
	if errors.As(err, &ie) {
		writeJSON(w, itemStatus[ie.Err], itemProblems{strings.Join(ie.Problems, "; "), ie.Problems})
		return
	}
	if err != nil {
		writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
		return
	}
	var v any = it.sc
	switch {
	case it.app != nil:
		v = it.app
	case it.comp != nil:
		v = it.comp
	}
	writeJSON(w, status, map[string]any{k.name: v})
}
