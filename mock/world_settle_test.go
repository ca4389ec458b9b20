package mock

import (
	"bytes"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tcbmock/tcbmock"
)

// plainApps reads the apps of the embedded world, and of one more with
// several envs, as the load reads them before it settles them: each with
// its listings rendered, not yet packed, and what is to pack.
func plainApps(t *testing.T, c *Config) ([]*App, [][]rendering) {
	t.Helper()
	data, err := fs.ReadFile(tcbmock.FS(), "scenarios/world.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var more strings.Builder
	more.WriteString("\n  - appid: wx5e771ed000000001\n    secret: 5e771ed0000000000000000000000001\n    envs:\n")
	for _, env := range []string{"zeta-000001", "alpha-000002", "mid-000003"} {
		fmt.Fprintf(&more, "      - {env: %s, alias: %s, create_time: \"2026-01-02 03:04:05\", update_time: \"2026-01-02 03:04:05\", status: NORMAL, package_id: basic, package_name: basic}\n", env, strings.Split(env, "-")[0])
	}
	apps, rest, _ := bytes.Cut(data, []byte("\ncomponents:"))
	data = bytes.Join([][]byte{apps, []byte(more.String()), []byte("\ncomponents:"), rest}, nil)
	d, err := parseFile(fileBytes{shown: "world.yaml", data: data})
	if err != nil {
		t.Fatal(err)
	}
	var out []*App
	var done [][]rendering
	for i := range d.file.Apps {
		a, err := c.readApp(t.Context(), interner{}, d.doc, &d.file.Apps[i], []any{"apps", i})
		if err != nil {
			t.Fatal(err)
		}
		r, err := c.renderListings(t.Context(), c.world, a)
		if err != nil {
			t.Fatal(err)
		}
		a.computeItems()
		a.Origin = fmt.Sprintf("world.yaml:%d", d.doc.Line("apps", i))
		out, done = append(out, a), append(done, r)
	}
	return out, done
}

// TestASettledAppIsThePlainOne checks what settle makes of each app against
// the app as read: the same strings, entities and answers, in memory of
// its own.
func TestASettledAppIsThePlainOne(t *testing.T) {
	c, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	plain, done := plainApps(t, c)
	if len(plain) != 6 {
		t.Fatalf("got %d apps; want the embedded world's and one more", len(plain))
	}
	for i, a := range plain {
		s := a.settled(interner{}, done[i])
		t.Run(a.AppID, func(t *testing.T) {
			if got, want := []string{s.AppID, s.Secret, s.Description, s.Scenario, s.Origin}, []string{a.AppID, a.Secret, a.Description, a.Scenario, a.Origin}; !reflect.DeepEqual(got, want) {
				t.Errorf("strings: got %q; want %q", got, want)
			}
			if !reflect.DeepEqual(s.Entities, a.Entities) {
				t.Errorf("entities: got %v; want %v", s.Entities, a.Entities)
			}
			want := slices.Clone(a.lists)
			for j, r := range done[i] {
				want[j].items = make([][]byte, len(r.bounds))
				for k, b := range r.bounds {
					want[j].items[k] = r.src[r.at+b[0] : r.at+b[1] : r.at+b[1]]
				}
			}
			if !reflect.DeepEqual(s.lists, want) {
				t.Errorf("listings: got %+v; want %+v", s.lists, want)
			}
			for j := range s.lists {
				if &s.lists[j].all[0] == &a.lists[j].all[0] {
					t.Errorf("listing %s: the settled answer is the plain one's memory", s.lists[j].op)
				}
			}
			for name, list := range s.Entities {
				for j, e := range list {
					e["settled"] = true
					if _, shared := a.Entities[name][j]["settled"]; shared {
						t.Errorf("%s/%d: the settled entity is the plain one's map", name, j)
					}
					delete(e, "settled")
				}
			}
		})
	}
}

// TestAListingPicksByMatch checks the sorted match values: every env the
// app has, in any order, and none it has not.
func TestAListingPicksByMatch(t *testing.T) {
	c, err := embedded()
	if err != nil {
		t.Fatal(err)
	}
	plain, done := plainApps(t, c)
	last := len(plain) - 1
	a := plain[last].settled(interner{}, done[last])
	l := a.listing("getEnvInfo")
	if l == nil {
		t.Fatal("no getEnvInfo listing")
	}
	for j, e := range a.Entities["envs"] {
		env := e["env"].(string)
		if got, want := l.match(env), l.items[j]; !bytes.Contains(got, want) || bytes.Count(got, []byte(`"env":`)) != 1 {
			t.Errorf("match %s: got %s; want the answer of %s alone", env, got, want)
		}
	}
	for _, env := range []string{"", "aaa", "mid-000002", "zzz"} {
		if got := l.match(env); got != nil {
			t.Errorf("match %q: got %s; want none", env, got)
		}
	}
}
