package apispec

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Finding is one way an answer differs from what the spec says: the
// mismatch, and whether the spec's word there is the fake's choice (an
// observation: production may answer otherwise) rather than evidence of
// what production answers (a deviation).
type Finding struct {
	Mismatch
	Chosen bool
}

// Expect is what a request was made to earn: the cause ("" for a valid
// call) and the errcode the operation's table gives it.
type Expect struct {
	Cause string
	Code  int
}

// Judge decides whether an answer (its errcode and errmsg) conforms to the
// operation's table and, when want is not nil, to what the request was
// made to earn. It is the one judge of the suite, the proxy, the recorder
// and lint: an errcode other than the one earned is a deviation only where
// the row is known for the cause; an errcode outside the table, or an
// error's errmsg without its rid (seen in every captured answer), is a
// deviation; an errmsg other than its row's text is a deviation only where
// the text is known. It returns nil when the answer conforms.
func (o *Operation) Judge(want *Expect, code int, errmsg string) []Finding {
	var out []Finding
	chosen := false
	if want != nil {
		row, _ := o.Errcode(want.Code)
		chosen = !row.KnownCause(want.Cause)
		if f := o.JudgeCode(*want, code); f != nil {
			out = append(out, *f)
		}
	}
	for _, f := range o.JudgeAnswer(code, errmsg) {
		f.Chosen = f.Chosen || chosen && f.Field == "/errcode" // any errcode answered to a chosen cause is an observation
		out = append(out, f)
	}
	return out
}

// ExpectOf returns what a request made to earn cause should be answered:
// the first row whose when lists it; nil for "" or a cause no row lists.
func (o *Operation) ExpectOf(cause string) *Expect {
	for _, row := range o.Errcodes {
		if cause != "" && slices.Contains(row.When, cause) {
			return &Expect{Cause: cause, Code: row.Code}
		}
	}
	return nil
}

// JudgeCode is the part of [Operation.Judge] that compares the errcode
// answered with the one the request was made to earn: nil when they are
// the same, else a finding that is a choice unless the row is known for
// the cause.
func (o *Operation) JudgeCode(want Expect, code int) *Finding {
	if code == want.Code {
		return nil
	}
	row, _ := o.Errcode(want.Code)
	return &Finding{Mismatch{Field: "/errcode", Expected: strconv.Itoa(want.Code), Received: strconv.Itoa(code)}, !row.KnownCause(want.Cause)}
}

// JudgeAnswer is the part of [Operation.Judge] that reads the answer
// alone: an errcode the table lists, then an error's rid and its row's
// text.
func (o *Operation) JudgeAnswer(code int, errmsg string) []Finding {
	row, listed := o.Errcode(code)
	switch {
	case !listed:
		return []Finding{{Mismatch{Field: "/errcode", Expected: "an errcode of " + o.ID + "'s x-errcodes (" + o.codes() + ")", Received: strconv.Itoa(code)}, false}}
	case code == 0:
		return nil
	case !RIDPattern.MatchString(errmsg):
		return []Finding{{Mismatch{Field: "/errmsg", Expected: `a suffix " rid: xxxxxxxx-xxxxxxxx-xxxxxxxx"`, Received: strconv.Quote(errmsg)}, false}}
	case !ErrmsgFits(row, errmsg):
		return []Finding{{Mismatch{Field: "/errmsg", Expected: strconv.Quote(row.Errmsg) + ", then" + hintAllowance(row) + " the rid", Received: strconv.Quote(errmsg)}, row.Text == ""}}
	}
	return nil
}

// Deviations returns the findings that are not choices.
func Deviations(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if !f.Chosen {
			out = append(out, f)
		}
	}
	return out
}

// hintBlock is the block the real server puts before the rid of some
// errmsgs, such as "require POST method hint: [5VmGfa073921-2] rid: …".
var hintBlock = regexp.MustCompile(`^ hint: \[[0-9A-Za-z!_-]+\]`)

// ErrmsgFits reports whether errmsg is exactly the row's text, then what
// the real server is known to append: for some codes a hint block, then
// the rid.
func ErrmsgFits(row Errcode, errmsg string) bool {
	rest, ok := cutErrmsg(row, errmsg)
	if !ok {
		return false
	}
	if row.Hint {
		rest = hintBlock.ReplaceAllString(rest, "")
	}
	rid := RIDPattern.FindStringIndex(rest)
	return rid != nil && rid[0] == 0
}

// hintAllowance says, in a message, that the row may carry a hint block.
func hintAllowance(row Errcode) string {
	if row.Hint {
		return " a hint block and"
	}
	return ""
}

// codes lists the errcodes of the operation's table.
func (o *Operation) codes() string {
	list := make([]string, len(o.Errcodes))
	for i, e := range o.Errcodes {
		list[i] = strconv.Itoa(e.Code)
	}
	return strings.Join(list, ", ")
}
