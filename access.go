package tcbmock

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
