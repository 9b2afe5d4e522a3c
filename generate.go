// Package kickgo is the root of the kick-go module. It holds no API: import
// github.com/kick-sdk/kick-go/kick. This file carries the module's code generation directives.
package kickgo

// The low-level client in gen/ is compiled from openapi/kick.yaml by the oapi-codegen version pinned
// in go.mod (see tools.go). `make check-generate` fails when the committed output is stale.
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/config.yaml openapi/kick.yaml

// The kick package's endpoint of each operation (id, method, path, token kinds, whether data is
// required) and the limits of the request side, derived from the same spec by tools/kickgen.
//go:generate go run ./tools/kickgen -out kick/endpoints.gen.go
