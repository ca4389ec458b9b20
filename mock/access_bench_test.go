package mock_test

import "testing"

// BenchmarkStableTokenGuarded is BenchmarkStableToken for an app whose IP
// whitelist leaves the caller out: the whitelist's check and the caller's
// address in the errmsg, on the token path.
func BenchmarkStableTokenGuarded(b *testing.B) {
	benchHandler(b, benchCase{method: "POST", target: "/cgi-bin/stable_token",
		members: `"grant_type":"client_credential","appid":"` + guardedAppID + `","secret":"` + guardedSecret + `"}`, errcode: 40164})
}
