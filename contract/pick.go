package contract

import (
	"fmt"

	"github.com/tcbmock/tcbmock/internal/apispec"
)

// bindToPick names, in the request fields a computing x-answer's pick
// reads, the first entity of its list that the app has, all its fields
// from that one entity: the request example's may be another app's. When
// the target's world is known and the app has none, the call notes it:
// a valid call cannot succeed there.
func (s *scenario) bindToPick(c *opRequest, p *apispec.Pick) {
	for field, req := range p.By {
		v, ok := s.session.entity(p.List, field)
		switch {
		case ok && c.has(req):
			c.set(req, v)
		case !ok && s.session.knowsWorld():
			c.lacks = fmt.Sprintf("the target's app has no %s", p.List)
		}
	}
}
