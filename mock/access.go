package mock

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// Access is what decides, beside its credentials, whether an account of
// the world gets its tokens: the addresses it lets fetch them, its state
// and its quotas. The zero Access lets every address in, is in the normal
// state and counts no quota.
type Access struct {
	// IPWhitelist lists the addresses (an IP, or a CIDR range) allowed to
	// fetch the account's tokens; empty lets every address in.
	IPWhitelist []string `json:"ip_whitelist,omitempty" yaml:"ip_whitelist"`
	// State is one of [apispec.AppStates], or "" for the normal state:
	// the token requests of the app earn it as their cause.
	State string `json:"state,omitempty" yaml:"state"`
	// Quota turns the counting of calls on for the app: nil counts none.
	Quota *Quota `json:"quota,omitempty" yaml:"quota"`

	allowed []netip.Prefix // IPWhitelist, parsed
}

// Quota is an app's quota of each operation that the spec gives limits
// (x-quota): a field that is 0 keeps the spec's limit.
type Quota struct {
	Daily   int `json:"daily,omitempty" yaml:"daily"`
	Minute  int `json:"minute,omitempty" yaml:"minute"`
	Monthly int `json:"monthly,omitempty" yaml:"monthly"`
}

// accessKeys are the keys of an app (and ip_whitelist of a component)
// that set its Access.
var accessKeys = []string{"ip_whitelist", "state", "quota"}

// readAccess reads the app key key into a's Access; it returns false for a
// key that is not an access key.
func (a *Access) readKey(doc *yamlfile.Doc, key string, value *yaml.Node, at []any) (bool, error) {
	var err error
	switch key {
	case "ip_whitelist":
		err = value.Decode(&a.IPWhitelist)
	case "state":
		err = value.Decode(&a.State)
	case "quota":
		var q Quota
		err = decodeStrict(value, &q)
		a.Quota = &q
	default:
		return false, nil
	}
	if err != nil {
		return true, doc.Errorf(at, "%s: %v", key, yamlMessage(err))
	}
	return true, nil
}

// decodeStrict decodes a YAML mapping into v, refusing unknown keys.
func decodeStrict(n *yaml.Node, v any) error {
	b, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	return dec.Decode(v)
}

// yamlMessage is a YAML decoding error without its "yaml: line N:" prefix.
func yamlMessage(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); strings.HasPrefix(msg, "yaml: ") && i >= 0 {
		return strings.TrimSpace(msg[i+2:])
	}
	return msg
}

// check parses the whitelist and checks the state and the quota.
func (a *Access) check() error {
	a.allowed = nil
	for i, s := range a.IPWhitelist {
		p, err := parseAllowed(s)
		if err != nil {
			return &fieldError{path: []any{"ip_whitelist", i}, msg: fmt.Sprintf("ip_whitelist %q is neither an IP address nor a CIDR range", s)}
		}
		a.allowed = append(a.allowed, p)
	}
	if a.State != "" && !slices.Contains(apispec.AppStates, a.State) {
		return &fieldError{path: []any{"state"}, msg: fmt.Sprintf("state %q: want one of %s", a.State, strings.Join(apispec.AppStates, ", "))}
	}
	if q := a.Quota; q != nil && (q.Daily < 0 || q.Minute < 0 || q.Monthly < 0) {
		return &fieldError{path: []any{"quota"}, msg: "quota: daily, minute and monthly are counts, 0 for the spec's limit"}
	}
	return nil
}

// parseAllowed reads a whitelist entry: an IP address or a CIDR range.
func parseAllowed(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		return p.Masked(), err
	}
	ip, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()), nil
}

// allows reports whether the whitelist lets the address ip in.
func (a *Access) allows(ip string) bool {
	if len(a.allowed) == 0 {
		return true
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	return slices.ContainsFunc(a.allowed, func(p netip.Prefix) bool { return p.Contains(addr) })
}

// appendAccess writes a's fields that are set, as the admin API lists an app.
func (a *Access) appendJSON(b []byte) []byte {
	if len(a.IPWhitelist) > 0 {
		b = append(append(b, `,"ip_whitelist":`...), marshal(a.IPWhitelist)...)
	}
	if a.State != "" {
		b = appendString(append(b, `,"state":`...), a.State)
	}
	if a.Quota != nil {
		b = append(append(b, `,"quota":`...), marshal(a.Quota)...)
	}
	return b
}

// callerIP is the address a request comes from: the first address of its
// X-Forwarded-For header when the server trusts it
// ([WithTrustedForwardedFor]), else its connection's.
func callerIP(r *http.Request, trustForwarded bool) string {
	if trustForwarded {
		if first, _, _ := strings.Cut(r.Header.Get("X-Forwarded-For"), ","); strings.TrimSpace(first) != "" {
			if ip, err := netip.ParseAddr(strings.TrimSpace(first)); err == nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip.Unmap().String()
	}
	return "127.0.0.1" // no address: a caller in the same process
}

// WithTrustedForwardedFor makes the server take a request's address from
// the first address of its X-Forwarded-For header, where one is given: for
// a fake behind a proxy, or a test that plays callers from other
// addresses. Without it the header is ignored, as a client could forge it.
func WithTrustedForwardedFor() Option { return func(s *Server) { s.trustForwarded = true } }

// denied returns the cause that keeps the account's token from the call,
// or "": its state, then the caller's address, then its quota. Only a
// cause the operation's table lists is answered: elsewhere the call goes
// on (the pages list each where it is answered). The order of the checks
// is the fake's choice.
func (s *Server) denied(c *call, appid string, a *Access) string {
	if a.State != "" && c.lists(a.State) {
		return a.State
	}
	if !a.allows(c.ip) && c.lists(tcbmock.CauseIPNotAllowed) {
		return tcbmock.CauseIPNotAllowed
	}
	if a.Quota != nil {
		return s.quotas.take(c, appid, a.Quota)
	}
	return ""
}

// lists reports whether the call's operation answers cause.
func (c *call) lists(cause string) bool {
	_, _, ok := c.op.Cause(cause)
	return ok
}
