// Package openapi embeds kick-go's OpenAPI 3.0.3 document of the Kick public API (kick.yaml), the
// source of truth for the request layer generated into package gen, the event registry, the
// fake Kick server in kicktest, and clients in other languages.
package openapi

import (
	"context"
	_ "embed"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

// The published OpenAPI 3.1 documents in dist/ are derived from kick.yaml by tools/specpub;
// `make check-generate` fails when they are stale.
//go:generate go run ../tools/specpub -in kick.yaml -out dist -source openapi/kick.yaml

// Spec is the document, byte for byte as committed in openapi/kick.yaml.
//
//go:embed kick.yaml
var Spec []byte

// Load parses the document and validates it, examples and the x-kick-formats definitions
// included. Each call returns a new document, so callers may modify it.
func Load(ctx context.Context) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.Context = ctx
	doc, err := loader.LoadFromData(Spec)
	if err != nil {
		return nil, fmt.Errorf("openapi: parse kick.yaml: %w", err)
	}
	if err := doc.Validate(ctx, openapi3.EnableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("openapi: validate kick.yaml: %w", err)
	}
	if _, err := parseFormats(doc); err != nil {
		return nil, err
	}
	return doc, nil
}
