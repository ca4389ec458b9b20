// Package mock is a fake of api.weixin.qq.com for the Cloud Base API
// getenvinfo and the token endpoints a client calls first, driven by
// tcbmock's openapi.yaml.
//
// [New] returns a [*Server], an [http.Handler]: the WeChat API at its
// paths, the admin API under [AdminPrefix].
//
//	m, err := mock.New()         // the embedded spec, world and scenarios
//	srv := httptest.NewServer(m) // point the client at srv.URL
//
// # The world
//
// A [Config], read by [Load] from the spec and a directory of scenario
// files, names apps (with their Cloud Base environments) and third-party
// platforms (with the accounts that authorized them). The token endpoints
// issue tokens for them with the real server's rules, on the fake's clock
// ([Server.Advance]): 7200 s lifetimes, a five-minute overlap when a token
// is replaced, stable_token's reuse and force_refresh.
//
// # Answers
//
// A request is routed and validated with kin-openapi against the spec; each
// failure earns the errcode the operation's x-errcodes table lists for its
// cause, in a fixed order: method, query, token, body, then the world. Every
// WeChat answer is HTTP 200 JSON with the real server's Content-Type, and
// every errmsg but "ok" ends with a request id.
//
// # Scenarios
//
// A [Scenario] forces answers: an errcode, a body, a sequence of them, a
// delay or a fault. A request gets the most specific one that answers for
// its operation: the [ScenarioHeader], a token minted for it
// ([Server.MintToken]), its app's binding, the server default
// ([WithScenario]).
//
// # Verification
//
// [Server.Journal] returns the requests the server answered, filtered by
// [Filter]s such as [ByOperation] and [ByCause]; package mocktest wraps it
// for Go tests.
package mock
