package webhook_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sourceImports returns the imports of the non-test Go files of dir.
func sourceImports(t *testing.T, dir string) map[string]bool {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			out[path] = true
		}
	}
	return out
}

// A program that only receives webhooks does not link the REST client: package webhook and
// webhooktest take the shared vocabulary from the leaf package kicktypes, which imports only the
// standard library.
func TestWebhookDoesNotImportTheClient(t *testing.T) {
	t.Parallel()
	const module = "github.com/kick-sdk/kick-go/"
	for _, dir := range []string{".", "webhooktest"} {
		for path := range sourceImports(t, dir) {
			switch {
			case path == module+"kick", strings.HasPrefix(path, module+"gen"),
				strings.HasPrefix(path, "golang.org/x/oauth2"), strings.HasPrefix(path, "github.com/oapi-codegen/"):
				t.Errorf("package %s imports %s", dir, path)
			}
		}
	}
	for path := range sourceImports(t, filepath.Join("..", "kicktypes")) {
		if strings.Contains(path, ".") {
			t.Errorf("package kicktypes imports %s, which is not the standard library", path)
		}
	}
}
