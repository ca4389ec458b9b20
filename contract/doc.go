// Package contract is the conformance suite: the feature files of
// tcbmock's features directory, and checks generated from the spec, run
// by godog against a target.
//
// # Targets
//
// A [Target] is what the suite talks to: the fake in-process
// ([HandlerTarget]), a fake running elsewhere, or production ([NewTarget]
// with its URL), configured by [TargetOptions]. A target that answers the
// fake's admin API (GET /__tcbmock/health) is a fake; any other is treated
// as production. Nothing answering, or an admin API that refuses the admin
// token, is an error there ([ErrUnreachable], [ErrAdminToken]), and so are
// credentials the target refuses, when [Run] starts ([ErrCredentials]).
// The target's client never follows a redirect.
//
// # What runs where
//
// Scenarios tagged @live are safe and provable against production, and
// run everywhere. On a target without the admin API every other scenario
// is excluded: it skips at its first step, with its reason, and is shown as
// skipped. Against production the suite gets its token from
// /cgi-bin/stable_token without force_refresh, never from /cgi-bin/token,
// which would retire the token a running service uses; or it uses the
// token it is given.
//
// # Checks
//
// Every answer is validated against openapi.yaml with kin-openapi, its
// HTTP status included; a mismatch names the field, the expected and the
// received value. Its errcode must be in the operation's x-errcodes table,
// and a non-zero errcode's errmsg must be the row's, then the rid. For
// every row of every table the suite generates a scenario (features.go,
// generate.go) that forces the row with the fake's scenario header, on a
// call to the operation built from the spec (operation.go).
//
// # Skips
//
// A scenario that cannot check what it says skips with a reason; [Result]
// lists every skip, and [Result.Passed] with strict fails on those the
// target's kind did not exclude. The report is written by godog's own
// formatters, wrapped where godog cannot show a skip's reason (report.go).
//
// # Where things are
//
// The steps are a table from phrase to function (steps.go); each runs
// behind a guard (scenario.go) that skips excluded scenarios and takes
// every credential out of the error it returns (redact.go). A request is
// sent and its answer checked in call.go.
package contract
