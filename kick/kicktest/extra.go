package kicktest

import "net/http"

// WithHandler serves h on the API listener for the URL pattern (as http.ServeMux takes it, such
// as "/_mock/"), beside the spec's operations: for a program that runs kicktest, as `kick mock
// serve` does, to add its own control endpoints. The pattern must not overlap an operation's path;
// requests to it are not counted, validated or faulted.
func WithHandler(pattern string, h http.Handler) Option {
	return func(c *config) { c.extra = append(c.extra, extraRoute{pattern, h}) }
}

// extraRoute is a handler of WithHandler.
type extraRoute struct {
	pattern string
	h       http.Handler
}
