package proxy

import (
	"crypto/sha256"
	"encoding/hex"
)

// The stand-ins a recorded world gives in place of credentials: made from
// the appids alone, never from a secret, so that nothing of a secret is
// written, and a new recording gives the same ones.

// standInSecret is an app's or a platform's stand-in secret: 32 hex digits,
// as an AppSecret is.
func standInSecret(appid string) string { return standIn("secret", appid)[:32] }

// standInTicket is a platform's stand-in component_verify_ticket.
func standInTicket(componentAppID string) string {
	return "ticket@@@tcbmock-stand-in-" + standIn("ticket", componentAppID)[:24]
}

// standInRefresh is an authorization's stand-in authorizer_refresh_token.
func standInRefresh(componentAppID, appid string) string {
	return "refreshtoken@@@tcbmock-stand-in-" + standIn("refresh", componentAppID, appid)[:32]
}

func standIn(kind string, ids ...string) string {
	h := sha256.New()
	h.Write([]byte("tcbmock stand-in " + kind))
	for _, id := range ids {
		h.Write([]byte{0})
		h.Write([]byte(id))
	}
	return hex.EncodeToString(h.Sum(nil))
}
