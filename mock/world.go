package mock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tcbmock/tcbmock"
)

// Operation ids the fake answers from its world; any other operation of the
// spec answers its example.
const (
	OpGetEnvInfo           = "getEnvInfo"
	OpGetAccessToken       = "getAccessToken"
	OpGetStableAccessToken = "getStableAccessToken"
)

// App is a mini program of the world.
type App struct {
	AppID       string `json:"appid" yaml:"appid"`
	Secret      string `json:"secret" yaml:"secret"`
	Description string `json:"description,omitempty" yaml:"description"`
	Scenario    string `json:"scenario,omitempty" yaml:"scenario"` // bound: every call with its tokens gets it
	Envs        []Env  `json:"envs" yaml:"envs"`

	answers map[string][]byte // getenvinfo's answers, by env; "" for all of them
}

// noEnvs is getenvinfo's answer for an env the app does not have.
var noEnvs = []byte(`{"errcode":0,"errmsg":"ok","info_list":[]}`)

// render prepares getenvinfo's answers for the app.
func (a *App) render() {
	a.answers = map[string][]byte{"": marshal(envList{Errmsg: "ok", InfoList: a.envs("")})}
	for _, e := range a.Envs {
		a.answers[e.Env] = marshal(envList{Errmsg: "ok", InfoList: []Env{e}})
	}
}

// answer returns getenvinfo's answer for env ("" for every env), or nil
// when the app has no such env.
func (a *App) answer(env string) []byte { return a.answers[env] }

// Env is a Cloud Base environment, as getenvinfo lists it.
type Env struct {
	Env         string `json:"env" yaml:"env"`
	Alias       string `json:"alias" yaml:"alias"`
	CreateTime  string `json:"create_time" yaml:"create_time"`
	UpdateTime  string `json:"update_time" yaml:"update_time"`
	Status      string `json:"status" yaml:"status"`
	PackageID   string `json:"package_id" yaml:"package_id"`
	PackageName string `json:"package_name" yaml:"package_name"`
}

// envList is getenvinfo's success answer.
type envList struct {
	Errcode  int    `json:"errcode"`
	Errmsg   string `json:"errmsg"`
	InfoList []Env  `json:"info_list"`
}

// envs returns the app's envs, or only the one named env when env is not "".
func (a *App) envs(env string) []Env {
	if env == "" {
		return a.Envs
	}
	for _, e := range a.Envs {
		if e.Env == env {
			return []Env{e}
		}
	}
	return []Env{}
}

func (c *Config) addApps(ctx context.Context, d *fileDoc) error {
	var errs tcbmock.FileErrors
	if code := d.file.UnknownEnvErrcode; code != nil {
		errs.Add(c.setUnknownEnv(d, *code))
	}
	for i := range d.file.Apps {
		a := &d.file.Apps[i]
		at := []any{"apps", i}
		if err := c.checkApp(ctx, a); err != nil {
			errs.Add(d.doc.Errorf(append(at, fieldOf(err)...), "app %q: %v", a.AppID, err))
			continue
		}
		if c.apps[a.AppID] != nil {
			errs.Add(d.doc.Errorf(at, "app %q is defined twice", a.AppID))
			continue
		}
		a.render()
		c.apps[a.AppID] = a
		c.Apps = append(c.Apps, a)
	}
	return errs.Err()
}

func (c *Config) setUnknownEnv(d *fileDoc, code int) error {
	if c.UnknownEnvErrcode != 0 {
		return d.doc.Errorf([]any{"unknown_env_errcode"}, "unknown_env_errcode is set in more than one file")
	}
	if op := c.Spec.Operation(OpGetEnvInfo); op != nil {
		if _, ok := op.Errcode(code); !ok {
			return d.doc.Errorf([]any{"unknown_env_errcode"}, "errcode %d is not in %s's x-errcodes", code, op.ID)
		}
	}
	c.UnknownEnvErrcode = code
	return nil
}

// fieldError is a problem with one field of a YAML value, at a path below it.
type fieldError struct {
	path []any
	msg  string
}

func (e *fieldError) Error() string { return e.msg }

func fieldOf(err error) []any {
	var fe *fieldError
	if errors.As(err, &fe) {
		return fe.path
	}
	return nil
}

func (c *Config) checkApp(ctx context.Context, a *App) error {
	if a.AppID == "" || a.Secret == "" {
		return &fieldError{msg: "an app needs an appid and a secret"}
	}
	if err := c.fitSpec(OpGetAccessToken, map[string]string{"appid": a.AppID, "secret": a.Secret}); err != nil {
		return err
	}
	if a.Scenario != "" && c.Scenario(a.Scenario) == nil {
		return &fieldError{path: []any{"scenario"}, msg: fmt.Sprintf("no scenario is named %q", a.Scenario)}
	}
	for i, e := range a.Envs {
		if slices.ContainsFunc(a.Envs[:i], func(p Env) bool { return p.Env == e.Env }) {
			return &fieldError{path: []any{"envs", i}, msg: fmt.Sprintf("env %q is listed twice", e.Env)}
		}
	}
	op := c.Spec.Operation(OpGetEnvInfo)
	if op == nil {
		return nil
	}
	body, err := json.Marshal(envList{Errmsg: "ok", InfoList: a.envs("")})
	if err != nil {
		return err
	}
	return answerError(c.Spec.ValidateAnswer(ctx, op, body), func(field string) []any {
		// /info_list/N/rest is envs/N/rest in the file.
		return append([]any{"envs"}, pointerPath(strings.TrimPrefix(field, "/info_list"))...)
	})
}

// answerError turns a spec violation into a fieldError at the file path of
// its first mismatch.
func answerError(err error, at func(field string) []any) error {
	var ae *tcbmock.AnswerError
	if !errors.As(err, &ae) {
		return err
	}
	m := ae.Mismatches[0]
	return &fieldError{path: at(m.Field), msg: fmt.Sprintf("breaks the spec: %s", m)}
}

// pointerPath splits a JSON pointer into a YAML path.
func pointerPath(ptr string) []any {
	var out []any
	for _, part := range strings.Split(strings.Trim(ptr, "/"), "/") {
		if part == "" {
			continue
		}
		if n, err := strconv.Atoi(part); err == nil {
			out = append(out, n)
		} else {
			out = append(out, part)
		}
	}
	return out
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
