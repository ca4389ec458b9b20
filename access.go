package tcbmock

import (
	"net/netip"
	"regexp"
	"strings"
)

// The causes an x-errcodes row can list under when for an account's
// access to its tokens: the caller's address, the account's state and its
// quotas. Each state of an app in the world (its state field) is the cause
// of the same name.
const (
	CauseIPNotAllowed   = "ip not in whitelist"      // the caller's address is outside the account's IP whitelist
	CauseComponentAppID = "component appid"          // the appid is a third-party platform's, not an account's
	CauseFrozenSecret   = "frozen secret"            // the account's AppSecret is frozen
	CauseFrozenAccount  = "frozen account"           // the account is frozen
	CauseIPAwaiting     = "ip awaiting confirmation" // the caller's address waits for the administrator's confirmation
	CauseIPNeedsConfirm = "ip needs confirmation"    // a call from the caller's address needs the administrator's confirmation
	CauseIPRefusedDay   = "ip refused for a day"     // the administrator refused the caller's address for 24 hours
	CauseIPRefusedHour  = "ip refused for an hour"   // the administrator refused the caller's address for an hour
	CauseDailyQuota     = "daily quota"              // the account used its daily quota of the API
	CauseMinuteQuota    = "minute quota"             // the account used its quota of the API for this minute
	CauseMonthlyQuota   = "monthly quota"            // the account used its monthly quota of the API (clear_quota's 10)
	CauseUnknownAPI     = "unknown api"              // the request names an API path whose quota cannot be cleared
)

// AppStates are the states an app of the world can be in besides the
// normal one, each the cause its token requests earn.
var AppStates = []string{
	CauseFrozenSecret, CauseFrozenAccount,
	CauseIPAwaiting, CauseIPNeedsConfirm, CauseIPRefusedDay, CauseIPRefusedHour,
}

var accessCauses = append([]string{CauseIPNotAllowed, CauseComponentAppID, CauseDailyQuota, CauseMinuteQuota, CauseMonthlyQuota, CauseUnknownAPI}, AppStates...)

// The placeholders an errmsg can hold for the caller's address, as the
// real server names it: "invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in
// whitelist". The fake puts the caller's address in; a judged errmsg may
// have any address there.
const (
	PlaceholderIP   = "{ip}"
	PlaceholderIPv6 = "{ipv6}"
)

// Addressed returns errmsg with the placeholders replaced by addr: {ip}
// as it is, {ipv6} as IPv6 (an IPv4 address mapped, "::ffff:1.2.3.4").
// An addr that is no address leaves it as it is.
func Addressed(errmsg, addr string) string {
	if !strings.Contains(errmsg, "{ip") {
		return errmsg
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return errmsg
	}
	v6 := ip.String()
	if ip.Is4() {
		v6 = "::ffff:" + ip.String()
	}
	return strings.NewReplacer(PlaceholderIP, ip.String(), PlaceholderIPv6, v6).Replace(errmsg)
}

// addressPattern matches an errmsg's start as errmsg with its placeholders
// standing for any address.
func addressPattern(errmsg string) *regexp.Regexp {
	q := regexp.QuoteMeta(errmsg)
	for _, p := range []string{PlaceholderIP, PlaceholderIPv6} {
		q = strings.ReplaceAll(q, regexp.QuoteMeta(p), `[0-9A-Fa-f.:]+`)
	}
	return regexp.MustCompile("^" + q)
}

// cutErrmsg cuts the row's errmsg from the start of errmsg: exactly, or
// with any address where its placeholders are.
func cutErrmsg(row Errcode, errmsg string) (string, bool) {
	if !strings.Contains(row.Errmsg, "{ip") {
		return strings.CutPrefix(errmsg, row.Errmsg)
	}
	loc := addressPattern(row.Errmsg).FindStringIndex(errmsg)
	if loc == nil {
		return errmsg, false
	}
	return errmsg[loc[1]:], true
}
