package apispec

import (
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/tcbmock/tcbmock"
)

// accessCauses are the causes of an account's access ([AppStates]
// and the rest) that an x-errcodes row can list under when.
var accessCauses = append([]string{tcbmock.CauseIPNotAllowed, tcbmock.CauseComponentAppID, tcbmock.CauseDailyQuota,
	tcbmock.CauseMinuteQuota, tcbmock.CauseMonthlyQuota, tcbmock.CauseUnknownAPI}, slices.Clone(AppStates)...)

// AppStates are the states an app of the world can be in besides the
// normal one, each the cause its token requests earn.
var AppStates = []string{
	tcbmock.CauseFrozenSecret, tcbmock.CauseFrozenAccount,
	tcbmock.CauseIPAwaiting, tcbmock.CauseIPNeedsConfirm, tcbmock.CauseIPRefusedDay, tcbmock.CauseIPRefusedHour,
}

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
	return strings.ReplaceAll(strings.ReplaceAll(errmsg, PlaceholderIPv6, v6), PlaceholderIP, ip.String())
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
