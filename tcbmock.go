// Package tcbmock holds the assets the fake server and the conformance suite
// are built from, and the few names a Go test of [mock] or [mocktest] uses.
//
// [FS] holds openapi.yaml ([SpecFile]), the default scenarios
// ([ScenarioDir]) and the feature files ([FeatureDir]), so the tcbmock
// binary needs no file beside it.
//
// # Causes
//
// Each request the fake refuses earns a cause, such as [CauseExpiredToken]
// or Missing("env"); a journal entry says it, and a test selects entries
// by it:
//
//	fake.Expect(t, 1, mock.Filter{Cause: tcbmock.CauseExpiredToken})
//
// The spec's x-errcodes tables map causes to errcodes.
//
// # Mismatches
//
// A [Mismatch] names a field of an answer that breaks the spec, what the
// spec expected and what was received: the proxy's violations and the
// conformance suite's observations are made of them.
//
// [mock]: https://pkg.go.dev/github.com/tcbmock/tcbmock/mock
// [mocktest]: https://pkg.go.dev/github.com/tcbmock/tcbmock/mocktest
package tcbmock

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed openapi.yaml scenarios features
var assets embed.FS

// FS returns the embedded assets: openapi.yaml and the scenarios and features directories.
func FS() fs.FS { return assets }

// SpecFile is the name of the spec in [FS] and in a checkout.
const SpecFile = "openapi.yaml"

// FeatureDir is the name of the conformance suite's feature directory in [FS] and in a checkout.
const FeatureDir = "features"

// ScenarioDir is the name of the default scenario directory in [FS] and in a checkout.
const ScenarioDir = "scenarios"

// The causes an x-errcodes row can list under when, besides "missing NAME"
// and "invalid NAME" for a query parameter or a top-level body field.
const (
	CauseMethod        = "method"
	CauseEmptyBody     = "empty body"
	CauseMalformedBody = "malformed body"
	CauseInvalidBody   = "invalid body"
	CauseUnknownToken  = "unknown token"
	CauseExpiredToken  = "expired token"
	CauseWrongKind     = "wrong token kind" // a token of a kind the operation does not take
	CauseUnauthorized  = "unauthorized api" // an authorizer token without the API's permission sets
	CauseUnknownAppID  = "unknown appid"
	CauseWrongSecret   = "wrong secret"
	CauseUnknownComp   = "unknown component"   // no such third-party platform, or not the token's
	CauseWrongTicket   = "wrong ticket"        // not the platform's verify ticket
	CauseNotAuthorized = "unauthorized appid"  // the account has not authorized the platform
	CauseWrongRefresh  = "wrong refresh token" // not the authorization's refresh token
)

// Missing is the cause of an absent parameter or body field.
func Missing(name string) string { return "missing " + name }

// Invalid is the cause of a parameter or body field that breaks its schema.
func Invalid(name string) string { return "invalid " + name }

// Mismatch is one way an answer breaks the spec.
type Mismatch struct {
	Field    string `json:"field"`    // a JSON pointer into the body, "HTTP status", "Content-Type" or "body"
	Expected string `json:"expected"` // what the spec wants
	Received string `json:"received"` // what came
}

// String prints the mismatch as "FIELD: expected X, received Y".
func (m Mismatch) String() string {
	return fmt.Sprintf("%s: expected %s, received %s", m.Field, m.Expected, m.Received)
}
