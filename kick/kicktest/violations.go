// What kicktest saw: requests per route, responses validated, and violations of the spec.

package kicktest

import (
	"fmt"
	"slices"
)

// Requests returns how many requests a route received, faulted and rejected ones included. A
// route is an operation id ("sendChatMessage"), "METHOD /path" with the spec's path
// ("POST /public/v1/chat"), or "authorize". It panics on an unknown route.
func (s *Server) Requests(route string) int {
	id, err := s.spec.routeOf(route)
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[id]
}

// ResponsesValidated returns, per operation id, how many responses kicktest validated against the
// spec: every response its handlers produced (a fault's made-up answer excepted), whether it
// passed or not. After a test that calls every operation, its keys are Operations().
func (s *Server) ResponsesValidated() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.validated))
	for k, v := range s.validated {
		out[k] = v
	}
	return out
}

// Violations returns the spec violations the server has seen, oldest first, each a
// *SpecViolation: requests it rejected with 400, responses and delivery payloads of its own that
// broke the spec.
func (s *Server) Violations() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// ViolationKind says what broke the spec.
type ViolationKind string

// The kinds of spec violations.
const (
	// RequestViolation is a request the server rejected with 400: the client's fault.
	RequestViolation ViolationKind = "request"
	// ResponseViolation is a response of kicktest that breaks the spec: kicktest's or the spec's
	// fault. It was still sent.
	ResponseViolation ViolationKind = "response"
	// DeliveryViolation is a webhook delivery of kicktest whose headers or payload break the
	// spec's callback. It was still sent.
	DeliveryViolation ViolationKind = "delivery"
)

// SpecViolation is a request, response or delivery that does not match openapi/kick.yaml.
type SpecViolation struct {
	// Kind says which it was.
	Kind ViolationKind
	// Operation is the operation id, such as "getChannels", or for a delivery the event type.
	Operation string
	// Method and Path identify the request (empty for a delivery).
	Method, Path string
	// StatusCode is the response status of a ResponseViolation.
	StatusCode int
	// Message says what is wrong, one clause per problem, such as
	// `parameter "broadcaster_user_id" in query: maximum number of items is 50`.
	Message string
	// Err is kin-openapi's error.
	Err error
}

// Error describes the violation in one line.
func (v *SpecViolation) Error() string {
	switch v.Kind {
	case RequestViolation:
		return fmt.Sprintf("request %s %s (%s) breaks the spec: %s", v.Method, v.Path, v.Operation, v.Message)
	case ResponseViolation:
		return fmt.Sprintf("response %d to %s %s (%s) breaks the spec: %s", v.StatusCode, v.Method, v.Path, v.Operation, v.Message)
	}
	return fmt.Sprintf("delivery of %s breaks the spec: %s", v.Operation, v.Message)
}

// Unwrap returns kin-openapi's error.
func (v *SpecViolation) Unwrap() error { return v.Err }

// report records a violation of kicktest's own output and tells the handler.
func (s *Server) report(v *SpecViolation) {
	s.mu.Lock()
	s.violations = append(s.violations, v)
	s.mu.Unlock()
	s.cfg.violation(v)
}
