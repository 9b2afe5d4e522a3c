package kick_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/openapi"
)

// parseDir parses the Go files of dir that want says, with comments.
func parseDir(t *testing.T, dir string, want func(name string) bool) map[string]*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	for _, name := range names {
		if !want(name) {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = f
	}
	return files
}

// operationWords finds the operation ids a method's documentation names: the words after
// "Operation" or "Operations".
var operationWords = regexp.MustCompile(`\bOperations?\s([\s\S]*)`)

// Every exported method of a service links to the docs.kick.com page of each operation it sends,
// as go-github's link GitHub's: the externalDocs URL of the operation in openapi/kick.yaml, on a
// "Kick API docs:" line. The operations are those its documentation names ("Operation
// getUsers.").
func TestServiceMethodsLinkKickDocs(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	docsURL := map[string]string{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.ExternalDocs == nil || !strings.HasPrefix(op.ExternalDocs.URL, "https://docs.kick.com/") {
				t.Errorf("operation %s has no externalDocs on docs.kick.com", op.OperationID)
				continue
			}
			docsURL[op.OperationID] = op.ExternalDocs.URL
		}
	}
	files := parseDir(t, ".", func(name string) bool { return !strings.HasSuffix(name, "_test.go") })
	methods := 0
	for name, f := range files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Recv == nil || !fd.Name.IsExported() {
				continue
			}
			star, ok := fd.Recv.List[0].Type.(*ast.StarExpr)
			if !ok {
				continue
			}
			recv, ok := star.X.(*ast.Ident)
			if !ok || !strings.HasSuffix(recv.Name, "Service") {
				continue
			}
			methods++
			method := recv.Name + "." + fd.Name.Name
			text := fd.Doc.Text()
			m := operationWords.FindStringSubmatch(text)
			var ops []string
			if m != nil {
				for _, w := range regexp.MustCompile(`\w+`).FindAllString(m[1], -1) {
					if _, known := docsURL[w]; known && !slices.Contains(ops, w) {
						ops = append(ops, w)
					}
				}
			}
			if len(ops) == 0 {
				t.Errorf("%s (%s): the documentation names no operation of the spec (\"Operation getUsers.\")", method, filepath.Base(name))
				continue
			}
			for _, op := range ops {
				if line := "Kick API docs: " + docsURL[op]; !strings.Contains(text, line+"\n") {
					t.Errorf("%s sends %s but its documentation lacks the line %q", method, op, line)
				}
			}
		}
	}
	if methods < 40 {
		t.Errorf("found %d service methods; the parse missed some", methods)
	}
}

// exampleDirs are the packages whose Example functions pkg.go.dev shows.
var exampleDirs = []string{".", "kickauth", "kickauth/kickauthtest", "kicktest", "kicktypes", "webhook", "webhook/webhooktest", "../kickredis"}

// The Example functions use only exported API: pkg.go.dev shows an example's body, so a helper of
// the test files (an unexported function, variable, constant or type) would make code nobody can
// paste.
func TestExamplesUseOnlyExportedAPI(t *testing.T) {
	t.Parallel()
	examples := 0
	for _, dir := range exampleDirs {
		files := parseDir(t, dir, func(name string) bool { return strings.HasSuffix(name, "_test.go") })
		helpers := map[string]bool{} // unexported top-level names of the test files
		topLevel := map[any]bool{}   // their declarations
		for _, f := range files {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Recv == nil && !d.Name.IsExported() {
						helpers[d.Name.Name], topLevel[d] = true, true
					}
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						switch s := spec.(type) {
						case *ast.ValueSpec:
							for _, n := range s.Names {
								if !n.IsExported() && n.Name != "_" {
									helpers[n.Name], topLevel[s] = true, true
								}
							}
						case *ast.TypeSpec:
							if !s.Name.IsExported() {
								helpers[s.Name.Name], topLevel[s] = true, true
							}
						}
					}
				}
			}
		}
		for name, f := range files {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || fd.Recv != nil || !strings.HasPrefix(fd.Name.Name, "Example") {
					continue
				}
				examples++
				for _, id := range helperUses(fd.Body, helpers, topLevel) {
					t.Errorf("%s: %s uses %s, which is not exported API", filepath.Join(dir, filepath.Base(name)), fd.Name.Name, id)
				}
			}
		}
	}
	if examples < 60 {
		t.Errorf("found %d examples; the parse missed some", examples)
	}
}

// helperUses returns the identifiers in body that name one of helpers at the top level: not a
// selector's field or method, not a key of a composite literal, not a local of the same name.
func helperUses(body ast.Node, helpers map[string]bool, topLevel map[any]bool) []string {
	var uses []string
	var walk func(n ast.Node) bool
	walk = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			ast.Inspect(n.X, walk)
			return false
		case *ast.KeyValueExpr:
			if _, field := n.Key.(*ast.Ident); !field {
				ast.Inspect(n.Key, walk)
			}
			ast.Inspect(n.Value, walk)
			return false
		case *ast.Ident:
			//nolint:staticcheck // ast.Object resolution tells a local from the top-level name
			if helpers[n.Name] && (n.Obj == nil || topLevel[n.Obj.Decl]) {
				uses = append(uses, n.Name)
			}
		}
		return true
	}
	ast.Inspect(body, walk)
	return uses
}
