// Package kickgo is the root of the kick-go module. It holds no API: import
// github.com/kick-sdk/kick-go/kick. This file carries the module's code generation directive.
package kickgo

// The low-level client in gen/ is compiled from openapi/kick.yaml by the oapi-codegen version pinned
// in go.mod (see tools.go). `make check-generate` fails when the committed output is stale.
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config gen/config.yaml openapi/kick.yaml
