package apispec

import (
	"slices"
	"time"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/yamlfile"
)

// QuotaRule is an operation's x-quota: how many calls an account may make
// of it a day, a minute and a month, where the account counts its calls
// (its quota field in the world). A limit of 0 counts nothing. Past a
// limit the operation answers the row of the cause "daily quota", "minute
// quota" or "monthly quota", which its table must list.
type QuotaRule struct {
	Daily   int `yaml:"daily,omitempty" json:"daily,omitempty"`
	Minute  int `yaml:"minute,omitempty" json:"minute,omitempty"`
	Monthly int `yaml:"monthly,omitempty" json:"monthly,omitempty"`
	// With names the operation (its operationId, with an x-quota) whose
	// count this one's calls go to: one count for both, each checked
	// against its own limits, as clear_quota/v2 shares clear_quota's ten a
	// month. "" counts the operation's calls on their own.
	With string `yaml:"with,omitempty" json:"with,omitempty"`
}

// Counter returns the operation whose count op's calls go to: With, or op.
func (r *QuotaRule) Counter(op string) string {
	if r.With != "" {
		return r.With
	}
	return op
}

// checkQuotaWith checks that each x-quota's with names an operation with
// an x-quota.
func (s *Spec) checkQuotaWith(yd *yamlfile.Doc) error {
	var errs yamlfile.List
	for _, o := range s.ops {
		if o.Quota == nil || o.Quota.With == "" {
			continue
		}
		if other := s.Operation(o.Quota.With); other == nil || other.Quota == nil || other.Quota.With != "" {
			errs.Add(yd.Errorf(o.At("x-quota", "with"), "with: %q is no operation with an x-quota of its own, whose count %s could share", o.Quota.With, o.ID))
		}
	}
	return errs.Err()
}

// ClearRule is an operation's x-clear-quota: a successful call clears the
// daily and minute counts of the account it acts for, of every operation,
// or, with API, of the one operation whose path the request field API
// names.
type ClearRule struct {
	API string `yaml:"api,omitempty" json:"api,omitempty"`
}

// QuotaZone is where the quotas' days and months begin: midnight in China
// Standard Time (UTC+8). The pages say the quotas are daily and monthly,
// not when a day begins: this is the fake's choice.
var QuotaZone = time.FixedZone("CST", 8*60*60)

// loadQuota reads the operation's x-quota and x-clear-quota.
func (o *Operation) loadQuota(yd *yamlfile.Doc, at []any) error {
	var errs yamlfile.List
	if v, ok := o.Op.Extensions["x-quota"]; ok {
		where := append(slices.Clone(at), "x-quota")
		o.Quota = &QuotaRule{}
		if err := yd.DecodeValue(o.Quota, v, where...); err != nil {
			return err
		}
		for _, l := range []struct {
			n     int
			cause string
		}{{o.Quota.Daily, tcbmock.CauseDailyQuota}, {o.Quota.Minute, tcbmock.CauseMinuteQuota}, {o.Quota.Monthly, tcbmock.CauseMonthlyQuota}} {
			switch _, _, listed := o.Cause(l.cause); {
			case l.n < 0:
				errs.Add(yd.Errorf(where, "x-quota limits are counts of calls, 0 for none"))
			case l.n > 0 && !listed:
				errs.Add(yd.Errorf(where, "x-quota limits %s, but no row of %s's x-errcodes lists the cause %q", l.cause, o.ID, l.cause))
			}
		}
	}
	if v, ok := o.Op.Extensions["x-clear-quota"]; ok {
		where := append(slices.Clone(at), "x-clear-quota")
		o.Clear = &ClearRule{}
		if err := yd.DecodeValue(o.Clear, v, where...); err != nil {
			return err
		}
		if o.Clear.API != "" && !slices.Contains(o.FieldNames(), o.Clear.API) {
			errs.Add(yd.Errorf(where, "x-clear-quota names %q, which is no field of %s", o.Clear.API, o.ID))
		}
	}
	return errs.Err()
}

// QuotaWindows returns the start of the minute, the day and the month of
// now, on the quotas' clock ([QuotaZone]).
func QuotaWindows(now time.Time) (minute, day, month time.Time) {
	t := now.In(QuotaZone)
	minute = t.Truncate(time.Minute)
	day = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, QuotaZone)
	month = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, QuotaZone)
	return minute, day, month
}
