package webhook_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/openapi"
)

// Each typed registration method of the Handler links to the docs.kick.com page of its event:
// the externalDocs URL of the event's callback in openapi/kick.yaml (the callbacks are named by
// event type), on a "Kick API docs:" line.
func TestOnMethodsLinkKickDocs(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	docsURL := map[string]string{} // event type → its callback's externalDocs URL
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for typ, cb := range op.Callbacks {
				for _, path := range cb.Value.Map() {
					if post := path.Post; post != nil && post.ExternalDocs != nil {
						docsURL[typ] = post.ExternalDocs.URL
					}
				}
			}
		}
	}
	// The On methods are generated from the callbacks (events_gen.go), OnDefault is written by
	// hand (handler.go): every file of the package is read.
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var decls []ast.Decl
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		decls = append(decls, f.Decls...)
	}
	linked := map[string]bool{}
	for _, d := range decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv == nil || !strings.HasPrefix(fd.Name.Name, "On") || fd.Name.Name == "OnDefault" {
			continue
		}
		text := fd.Doc.Text()
		words := " " + strings.Join(strings.Fields(text), " ") + " "
		var named []string
		for typ := range docsURL {
			if strings.Contains(words, " "+typ+" ") || strings.Contains(words, " "+typ+")") {
				named = append(named, typ)
			}
		}
		if len(named) != 1 {
			t.Errorf("%s: the documentation names the event types %v, want one", fd.Name.Name, named)
			continue
		}
		linked[named[0]] = true
		if line := "Kick API docs: " + docsURL[named[0]] + "\n"; !strings.Contains(text, line) {
			t.Errorf("%s registers for %s but lacks the line %q", fd.Name.Name, named[0], line)
		}
	}
	for typ := range docsURL {
		if !linked[typ] {
			t.Errorf("no On method for %s", typ)
		}
	}
}
