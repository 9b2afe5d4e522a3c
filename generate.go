// Package kickgo is the root of the kick-go module. It holds no API: import
// github.com/kick-sdk/kick-go/kick. This file carries the module's code generation directives.
package kickgo

// Package gen, the low-level request layer package kick wraps (an operation variable per
// operation of the spec, its request builder, the limits of the request side, what identifies each
// answer), compiled from openapi/kick.yaml by tools/kickgen, with what else is keyed by operation:
// kicktest's handler set (an interface the fake must implement), the tests' table of a request
// of every operation, and the README's coverage table (with the methods of package kick that
// send each operation, read from their documentation). `make check-generate` fails when the committed output is stale.
//go:generate go run ./tools/kickgen -out gen/kick.gen.go -tests kick/spec_requests_gen_test.go -kicktest kick/kicktest/handlers_gen.go -readme README.md

// Everything keyed by webhook event type: the event types (kick/kicktypes, kick), package
// webhook's registry (its models' EventType and EventVersion, the decoders, Handler.On…) and its
// acceptance table, by tools/eventgen.
//go:generate go run ./tools/eventgen -root .
