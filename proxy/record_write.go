package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tcbmock/tcbmock/mock"
)

// RecordFile is the file a recording writes in its directory.
const RecordFile = "recorded.yaml"

// flush writes the recording, if it changed since it was last written,
// then loads it as tcbmock serve --scenarios would (without the embedded
// files): a problem there is returned as file:line.
func (rc *recorder) flush() error {
	rc.flushMu.Lock()
	defer rc.flushMu.Unlock()
	rc.mu.Lock()
	changes := rc.changes
	if changes == rc.flushed {
		rc.mu.Unlock()
		return nil
	}
	data, err := rc.document()
	rc.mu.Unlock()
	if err != nil {
		return fmt.Errorf("proxy: recording: %w", err)
	}
	if err := writeFile(filepath.Join(rc.dir, RecordFile), data); err != nil {
		return fmt.Errorf("proxy: recording: %w", err)
	}
	rc.flushed = changes
	files := mock.Files{Spec: rc.specFile, Scenarios: []mock.File{{FS: os.DirFS(rc.dir), Path: ".", Name: rc.dir}}}
	if _, err := mock.Load(context.Background(), files); err != nil {
		return fmt.Errorf("proxy: the recording in %s does not load: %w", rc.dir, err)
	}
	return nil
}

// writeFile replaces name with data at once: a reader sees the old file or
// the new one, never half of it.
func writeFile(name string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// document writes the recording as a scenario file.
func (rc *recorder) document() ([]byte, error) {
	doc := mapping()
	if len(rc.apps) > 0 {
		apps := sequence()
		for _, a := range rc.apps {
			apps.Content = append(apps.Content, rc.appNode(a))
		}
		doc.Content = append(doc.Content, str("apps"), apps)
	}
	if len(rc.comps) > 0 {
		comps := sequence()
		for _, c := range rc.comps {
			comps.Content = append(comps.Content, rc.compNode(c))
		}
		doc.Content = append(doc.Content, str("components"), comps)
	}
	if len(rc.scenarios) > 0 {
		list := sequence()
		for _, s := range rc.scenarios {
			list.Content = append(list.Content, rc.scenarioNode(s))
		}
		doc.Content = append(doc.Content, str("scenarios"), list)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Recorded by tcbmock proxy from %s. Replay it with\n#   tcbmock serve --replace-scenarios --scenarios %s\n", rc.upstream, rc.dir)
	b.WriteString("# Credentials are stand-ins made from the appids, never the real ones: a\n" +
		"# client of the replay uses the secrets, tickets and refresh tokens below\n" +
		"# (GET /__tcbmock/apps lists them). A new recording rewrites this file.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

func (rc *recorder) appNode(a *recApp) *yaml.Node {
	n := mapping("appid", str(a.appid), "secret", str(standInSecret(a.appid)),
		"description", str("Recorded from "+rc.upstream+"; the secret is a stand-in."))
	for _, name := range slices.Sorted(maps.Keys(a.lists)) {
		list := sequence()
		item := rc.spec.Lists()[name].ItemSchema()
		for _, e := range a.lists[name] {
			en := mapping()
			for _, field := range rc.spec.Properties(item) {
				if v, ok := e[field]; ok {
					en.Content = append(en.Content, str(field), value(v))
				}
			}
			list.Content = append(list.Content, en)
		}
		n.Content = append(n.Content, str(name), list)
	}
	return n
}

func (rc *recorder) compNode(c *recComp) *yaml.Node {
	auths := sequence()
	for _, a := range c.auths {
		sets := sequence()
		sets.Style = yaml.FlowStyle
		for _, s := range a.granted {
			sets.Content = append(sets.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(s)})
		}
		an := mapping("authorizer_appid", str(a.appid), "authorizer_refresh_token", str(standInRefresh(c.appid, a.appid)), "permission_sets", sets)
		if !a.seen {
			an.HeadComment = "No listing showed which permission sets it granted: add them."
		}
		auths.Content = append(auths.Content, an)
	}
	return mapping("component_appid", str(c.appid), "component_appsecret", str(standInSecret(c.appid)),
		"component_verify_ticket", str(standInTicket(c.appid)),
		"description", str("Recorded from "+rc.upstream+"; the secret, the ticket and the refresh tokens are stand-ins."),
		"authorizations", auths)
}

func (rc *recorder) scenarioNode(s *recScenario) *yaml.Node {
	ops := sequence()
	ops.Style = yaml.FlowStyle
	ops.Content = append(ops.Content, str(s.op))
	body := mapping("errcode", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(s.code)}, "errmsg", str(s.errmsg))
	return mapping("name", str(scenarioName(s.op, s.code)),
		"description", str(fmt.Sprintf("%s answered %d %s, recorded from %s.", s.op, s.code, s.errmsg, rc.upstream)),
		"operations", ops, "body", body)
}

// scenarioName names the recorded scenario of an operation's errcode,
// such as recorded-getenvinfo-40001 or recorded-getenvinfo-minus1.
func scenarioName(op string, code int) string {
	n := strconv.Itoa(code)
	if code < 0 {
		n = "minus" + strconv.Itoa(-code)
	}
	return "recorded-" + strings.ToLower(op) + "-" + n
}

func mapping(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Content = append(n.Content, str(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return n
}

func sequence() *yaml.Node { return &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"} }

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// value is a JSON value as YAML.
func value(v any) *yaml.Node {
	switch v := v.(type) {
	case string:
		return str(v)
	case json.Number:
		if _, err := strconv.ParseInt(v.String(), 10, 64); err == nil {
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: v.String()}
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: v.String()}
	case []any:
		n := sequence()
		for _, e := range v {
			n.Content = append(n.Content, value(e))
		}
		return n
	case map[string]any:
		n := mapping()
		for _, k := range slices.Sorted(maps.Keys(v)) {
			n.Content = append(n.Content, str(k), value(v[k]))
		}
		return n
	}
	n := &yaml.Node{}
	_ = n.Encode(v) // booleans and null
	return n
}
