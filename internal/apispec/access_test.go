package apispec_test

import (
	"testing"
	"time"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

func TestAddressedPutsTheCallersAddressAsTheRealServerNamesIt(t *testing.T) {
	const errmsg = "invalid ip {ip} ipv6 {ipv6}, not in whitelist"
	for _, tc := range []struct{ addr, want string }{
		{"218.58.124.130", "invalid ip 218.58.124.130 ipv6 ::ffff:218.58.124.130, not in whitelist"},
		{"2001:db8::7", "invalid ip 2001:db8::7 ipv6 2001:db8::7, not in whitelist"},
		{"not an address", errmsg},
	} {
		if got := apispec.Addressed(errmsg, tc.addr); got != tc.want {
			t.Errorf("Addressed(%q) = %q; want %q", tc.addr, got, tc.want)
		}
	}
	if got := apispec.Addressed("invalid appid", "1.2.3.4"); got != "invalid appid" {
		t.Errorf("got %q; want an errmsg without placeholders unchanged", got)
	}
}

func TestAnErrmsgWithAnAddressFitsAnyAddressAndNothingElse(t *testing.T) {
	row := apispec.Errcode{Code: 40164, Errmsg: "invalid ip {ip} ipv6 {ipv6}, not in whitelist"}
	const rid = " rid: 6b13c573-10991379-2679491a"
	for errmsg, want := range map[string]bool{
		"invalid ip 218.58.124.130 ipv6 ::ffff:218.58.124.130, not in whitelist" + rid: true,
		"invalid ip 2001:db8::7 ipv6 2001:db8::7, not in whitelist" + rid:              true,
		"invalid ip {ip} ipv6 {ipv6}, not in whitelist" + rid:                          false,
		"invalid ip 1.2.3.4, not in whitelist" + rid:                                   false,
		"invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist":                     false, // no rid
	} {
		if got := apispec.ErrmsgFits(row, errmsg); got != want {
			t.Errorf("ErrmsgFits(%q) = %v; want %v", errmsg, got, want)
		}
	}
}

func TestQuotaWindowsBeginAtMidnightUTC8(t *testing.T) {
	minute, day, month := apispec.QuotaWindows(time.Date(2026, 11, 30, 16, 30, 45, 0, time.UTC)) // 00:30:45 on Dec 1 in Beijing
	for name, tc := range map[string]struct{ got, want time.Time }{
		"minute": {minute, time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC)},
		"day":    {day, time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)},
		"month":  {month, time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC)},
	} {
		if !tc.got.Equal(tc.want) {
			t.Errorf("%s: got %v; want %v", name, tc.got.UTC(), tc.want)
		}
	}
}
