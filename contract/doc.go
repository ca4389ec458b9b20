// Package contract is the conformance suite: the feature files of
// tcbmock's features directory, run by godog against a target.
//
// # Targets
//
// A [Target] is what the suite talks to: the fake in-process
// ([HandlerTarget]), a fake running elsewhere, or production
// ([NewTarget] with its URL). A target that answers the fake's admin API
// (/__tcbmock/health) is a fake; any other is treated as production.
//
// # What runs where
//
// Scenarios tagged @live are safe and provable against production, and run
// everywhere. On a target without the admin API every other scenario is
// skipped, visibly: those tagged @fake need the admin API (the clock,
// forced errcodes), the rest are not known to be safe or true there.
//
// Against production the suite gets its token from /cgi-bin/stable_token
// without force_refresh, never from /cgi-bin/token, which would retire the
// token a running service uses; or it uses the token it is given.
//
// # Checks
//
// Every answer is validated against openapi.yaml with kin-openapi; a
// mismatch names the field, the expected and the received value. An errcode
// outside the operation's x-errcodes table is a failure too.
package contract
