package kick_test

import (
	"bytes"
	"context"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/gen"
	"github.com/kick-sdk/kick-go/kick/kicktest"
	"github.com/kick-sdk/kick-go/openapi"
)

const genPkgPath = "github.com/kick-sdk/kick-go/gen"

// TestGenIsAllUsed holds package gen to what it is for, the request layer kick wraps: every
// exported function, method, type and variable of gen is used by the non-test code of package
// kick (type-checked from source), so nothing in gen is dead weight. The constants are the spec's
// limits, every one of which kick checks (TestGenLimitsAreChecked lists those it leaves to Kick).
func TestGenIsAllUsed(t *testing.T) {
	t.Parallel()
	used, gen := usesOfGen(t)
	var unused []string
	scope := gen.Scope()
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		switch obj := obj.(type) {
		case *types.Const:
			continue
		case *types.TypeName:
			// The methods of every named type, exported or not: the operations' types are
			// unexported, their Request methods exported.
			named, ok := obj.Type().(*types.Named)
			if ok {
				for m := range named.Methods() {
					if m.Exported() && !used[m] {
						unused = append(unused, "("+name+")."+m.Name())
					}
				}
			}
		}
		if obj.Exported() && !used[obj] {
			unused = append(unused, name)
		}
	}
	if len(unused) > 0 {
		t.Errorf("exported in gen and used by no code of package kick: %v", unused)
	}
	if len(used) < 80 {
		t.Errorf("kick uses %d objects of gen: the type check found too few", len(used))
	}
}

// TestGenLimitsAreChecked lists the limits of gen that package kick does not check before
// sending: each is either checked in another form (a positive id, a non-empty string, the scheme
// of a grant) or Kick's alone to enforce. A new limit of the spec must be checked by kick or
// added here with the reason.
func TestGenLimitsAreChecked(t *testing.T) {
	t.Parallel()
	used, gen := usesOfGen(t)
	var unused []string
	for _, name := range gen.Scope().Names() {
		if obj, ok := gen.Scope().Lookup(name).(*types.Const); ok && obj.Exported() && strings.HasPrefix(name, "Limit") && !used[obj] {
			unused = append(unused, name)
		}
	}
	// Checked in another form: every id of kick's input is checked to be positive (checkIDs,
	// checkModerationIDs, ...) and every required string to be non-empty; the OAuth grants'
	// fields are checked by TokenRequestParams.form; the cursors are Kick's to judge.
	checkedOtherwise := func(name string) bool {
		for _, suffix := range []string{"Minimum", "MinLength", "MinItems"} {
			if strings.HasSuffix(name, suffix) {
				return true
			}
		}
		return strings.Contains(name, "Grant") || strings.Contains(name, "Cursor") ||
			// 2,048 characters: implied by the 2,048 bytes of UTF-8 kick checks.
			name == "LimitChatMessageInputContentMaxLength"
	}
	var unchecked []string
	for _, name := range unused {
		if !checkedOtherwise(name) {
			unchecked = append(unchecked, name)
		}
	}
	if len(unchecked) > 0 {
		t.Errorf("limits of the spec that kick checks nowhere: %v", unchecked)
	}
}

// usesOfGen type-checks the non-test files of package kick from source and returns every object
// of package gen they use, and package gen.
func usesOfGen(t *testing.T) (map[types.Object]bool, *types.Package) {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(".", name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	pkg, err := conf.Check("github.com/kick-sdk/kick-go/kick", fset, files, info)
	if err != nil {
		t.Fatal(err)
	}
	var gen *types.Package
	for _, imp := range pkg.Imports() {
		if imp.Path() == genPkgPath {
			gen = imp
		}
	}
	if gen == nil {
		t.Fatal("package kick does not import gen")
	}
	used := map[types.Object]bool{}
	for _, obj := range info.Uses {
		if obj.Pkg() == gen {
			used[obj] = true
		}
	}
	for _, sel := range info.Selections {
		if obj := sel.Obj(); obj.Pkg() == gen {
			used[obj] = true
		}
	}
	if !slices.ContainsFunc(pkg.Imports(), func(p *types.Package) bool { return p == gen }) {
		t.Fatal("no gen")
	}
	return used, gen
}

// TestEveryOperationThroughGenAlone makes every operation of the spec through package gen alone,
// without package kick: the request of specRequests (generated from the spec's examples) goes to
// kicktest, which validates it against the spec, with plain net/http and the token of the first
// kind the operation takes. Each reaches its operation, breaks nothing of the spec, and is
// answered with a status the spec documents for it, most of them a success.
func TestEveryOperationThroughGenAlone(t *testing.T) {
	t.Parallel()
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s := kicktest.New(t)
	tokens := map[string]string{
		"user": s.UserToken(kicktest.Streamer.UserID).AccessToken,
		"app":  s.AppToken().AccessToken,
	}
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var ids []string
	succeeded := 0
	for _, op := range gen.Operations {
		ids = append(ids, op.ID)
		build, ok := specRequests[op.ID]
		if !ok {
			t.Errorf("%s: no request in specRequests", op.ID)
			continue
		}
		r := build()
		if r.Operation != op {
			t.Errorf("%s: specRequests builds a request of %s", op.ID, r.Operation.ID)
			continue
		}
		base := s.APIBaseURL
		if op.Server == gen.ServerOAuth {
			base = s.OAuthBaseURL
		}
		target := base + r.Path
		if r.Query != "" {
			target += "?" + r.Query
		}
		var body io.Reader
		if r.Body != nil {
			body = bytes.NewReader(r.Body)
		}
		req, err := http.NewRequestWithContext(context.Background(), op.Method, target, body)
		if err != nil {
			t.Fatalf("%s: %v", op.ID, err)
		}
		if r.ContentType != "" {
			req.Header.Set("Content-Type", r.ContentType)
		}
		if len(op.Tokens) > 0 {
			req.Header.Set("Authorization", "Bearer "+tokens[op.Tokens[0]])
		}
		before, violations := s.Requests(op.ID), len(s.Violations())
		rsp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", op.ID, err)
		}
		_, _ = io.Copy(io.Discard, rsp.Body)
		_ = rsp.Body.Close()
		if got := s.Requests(op.ID); got != before+1 {
			t.Errorf("%s %s: kicktest routed it to no operation %s", op.Method, target, op.ID)
		}
		if vs := s.Violations(); len(vs) > violations {
			t.Errorf("%s: %v", op.ID, vs[violations:])
		}
		spec := doc.Paths.Find(op.Path).GetOperation(op.Method)
		if spec.Responses.Status(rsp.StatusCode) == nil && spec.Responses.Default() == nil {
			t.Errorf("%s: answered %d, which the spec does not document", op.ID, rsp.StatusCode)
		}
		if rsp.StatusCode >= 200 && rsp.StatusCode <= 299 {
			succeeded++
		} else {
			t.Logf("%s: %d (the example names no object kicktest has)", op.ID, rsp.StatusCode)
		}
	}
	for id := range specRequests {
		if !slices.Contains(ids, id) {
			t.Errorf("specRequests has %s, which is not an operation of gen", id)
		}
	}
	if succeeded < len(gen.Operations)*2/3 {
		t.Errorf("%d of %d operations succeeded", succeeded, len(gen.Operations))
	}
}
