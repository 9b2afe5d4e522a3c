//go:build tools

// This file pins the code generator in go.mod and go.sum, so `go generate` runs exactly the
// version the committed gen/ was made with.
package kickgo

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
