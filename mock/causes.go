package mock

import (
	"errors"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/internal/apispec"
)

// requestCauses sorts kin-openapi's request validation failures into the
// causes of the x-errcodes tables: those of the query parameters, then
// those of the body.
func requestCauses(err error, query func(string) string) (params, body []string) {
	var me openapi3.MultiError
	if !errors.As(err, &me) {
		me = openapi3.MultiError{err}
	}
	for _, e := range me {
		var re *openapi3filter.RequestError
		switch {
		case e == nil:
		case !errors.As(e, &re):
			body = append(body, tcbmock.CauseInvalidBody)
		case re.Parameter != nil:
			name := re.Parameter.Name
			if errors.Is(re.Err, openapi3filter.ErrInvalidRequired) || (re.Parameter.In == "query" && query(name) == "") {
				params = append(params, tcbmock.Missing(name))
			} else {
				params = append(params, tcbmock.Invalid(name))
			}
		default:
			body = append(body, bodyCauses(re)...)
		}
	}
	return params, body
}

// bodyCauses names what is wrong with a body: empty, not JSON, or which
// top-level field is missing or invalid.
func bodyCauses(re *openapi3filter.RequestError) []string {
	var pe *openapi3filter.ParseError
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return []string{tcbmock.CauseEmptyBody}
	case errors.As(re.Err, &pe):
		return []string{tcbmock.CauseMalformedBody}
	}
	var causes []string
	for _, se := range apispec.SchemaErrors(re.Err) {
		ptr := se.JSONPointer()
		switch {
		case len(ptr) == 0:
			causes = append(causes, tcbmock.CauseInvalidBody)
		case len(ptr) == 1 && se.SchemaField == "required":
			causes = append(causes, tcbmock.Missing(ptr[0]))
		default:
			causes = append(causes, tcbmock.Invalid(ptr[0]))
		}
	}
	if len(causes) == 0 {
		causes = append(causes, tcbmock.CauseInvalidBody)
	}
	return causes
}
