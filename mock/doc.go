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
// # The configuration
//
// A [Config], read by [Load] from a spec and scenario directories
// ([Files]), is the spec, the world and the scenarios. It never changes
// once loaded, and servers share it: the embedded one is loaded once per
// process. Each server has its own tokens, clock, sequences and journal.
//
// The world names apps and third-party platforms. An app's entities (its
// Cloud Base environments, and whatever else an operation lists) are YAML
// mappings whose fields the spec's schemas define. The token endpoints
// issue tokens with the real server's rules, on the fake's clock
// ([Server.Advance]), with the lifetimes and overlaps the spec gives.
//
// An app's [Access] decides, beside its credentials, whether it gets its
// tokens: its IP whitelist (the caller's address, from X-Forwarded-For
// only with [WithTrustedForwardedFor]), its state (a frozen AppSecret, a
// frozen account, an address the administrator must confirm) and its
// quota, counted on the fake's clock against the spec's x-quota or the
// app's own limits and cleared by the operations with x-clear-quota. Each
// earns a cause that the operation's table answers where it lists it
// (access.go, quota.go, clear.go).
//
// # Answers
//
// Every answer is rendered from the spec: an operation's x-answer says what
// its success answer is made of (a listing of the world's entities, or a
// token a named behaviour issues), its error answers fill its error schema
// with a row of its x-errcodes table. Rendering is prepared at load, and a
// sample of every answer is checked against the spec there: a spec the
// fake cannot honour is refused with file:line.
//
// # The request flow
//
// flow.go reads top to bottom: a request is read and routed (call.go), a
// scenario may be chosen (choose.go), it is checked in the documented
// order, method, query, token, body (check.go), its answer is made
// (answer.go, with listing.go and issue.go), journaled (record.go) and
// delivered, with any delay or fault (fault.go). A failed check is a
// cause; the operation's x-errcodes table makes it an errcode.
//
// # Scenarios
//
// A [Scenario] forces answers: an errcode, a body, a sequence of them, a
// delay or a fault. Each row of an errcode table is a scenario already,
// named by its scenario column; files add sequences, bodies and faults. A
// request gets the most specific one: the [ScenarioHeader], a token minted
// for it ([Server.MintToken]), its app's binding, the server default
// ([WithScenario]).
//
// # Verification
//
// [Server.Journal] returns the requests the server answered that a
// [Filter] selects; package mocktest wraps it for Go tests. tcbmock proxy
// journals the exchanges its upstream answered in a server of its own,
// with their violations of the spec, through an internal bridge; such a
// server's admin API acts on no world.
//
// # Bounds and the admin API's guard
//
// No open endpoint grows the server's memory with the rate of calls: the
// journal holds at most [WithJournalSize] entries in [WithJournalBytes]
// bytes (as it counts what each holds), an owner at most [TokensPerOwner]
// tokens, and at most [MaxStreams] journal streams are sent, each event at
// most [MaxEventBytes]. Quota counts are one per app whose quota is on and
// operation with an x-quota; a count whose month is over is dropped. Without [WithAdminToken], the admin API answers a
// loopback Host or one of [WithAllowedHosts] only (DNS rebinding), and
// refuses a browser's write from another site but [WithAllowedOrigins]
// (cross-site request forgery).
package mock
