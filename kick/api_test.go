package kick_test

import (
	"go/importer"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

const genPath = "github.com/kick-sdk/kick-go/gen"

// TestNoGenTypeInExportedAPI type-checks package kick from source and fails if any exported
// identifier (a type, a field, a method, a function, a variable) mentions a type of package gen.
func TestNoGenTypeInExportedAPI(t *testing.T) {
	t.Parallel()
	imp := importer.ForCompiler(token.NewFileSet(), "source", nil)
	pkg, err := imp.Import("github.com/kick-sdk/kick-go/kick")
	if err != nil {
		t.Fatalf("type-check kick: %v", err)
	}
	w := &leakWalker{t: t, seen: map[types.Type]bool{}}
	scope := pkg.Scope()
	checked := 0
	for _, name := range scope.Names() {
		obj := scope.Lookup(name)
		if !obj.Exported() {
			continue
		}
		checked++
		w.walk(obj.Type(), name)
		if tn, ok := obj.(*types.TypeName); ok {
			if named, ok := tn.Type().(*types.Named); ok {
				for i := range named.NumMethods() {
					if m := named.Method(i); m.Exported() {
						w.walk(m.Type(), name+"."+m.Name())
					}
				}
				if _, isIface := named.Underlying().(*types.Interface); !isIface {
					ptr := types.NewMethodSet(types.NewPointer(named))
					for i := range ptr.Len() {
						if m := ptr.At(i).Obj(); m.Exported() {
							w.walk(m.Type(), name+"."+m.Name())
						}
					}
				}
			}
		}
	}
	if checked < 20 {
		t.Errorf("checked only %d exported identifiers; the walk is broken", checked)
	}
}

type leakWalker struct {
	t    *testing.T
	seen map[types.Type]bool
}

func (w *leakWalker) walk(typ types.Type, where string) {
	if w.seen[typ] {
		return
	}
	w.seen[typ] = true
	switch t := typ.(type) {
	case *types.Named:
		if obj := t.Obj(); obj.Pkg() != nil && obj.Pkg().Path() == genPath {
			w.t.Errorf("%s exposes gen.%s", where, obj.Name())
			return
		}
		for i := range t.TypeArgs().Len() {
			w.walk(t.TypeArgs().At(i), where)
		}
		// Exported fields of kick's own struct types are part of the API.
		if obj := t.Obj(); obj.Pkg() != nil && strings.HasSuffix(obj.Pkg().Path(), "/kick") {
			w.walk(t.Underlying(), where)
		}
	case *types.Alias:
		w.walk(types.Unalias(t), where)
	case *types.Pointer:
		w.walk(t.Elem(), where)
	case *types.Slice:
		w.walk(t.Elem(), where)
	case *types.Array:
		w.walk(t.Elem(), where)
	case *types.Map:
		w.walk(t.Key(), where)
		w.walk(t.Elem(), where)
	case *types.Chan:
		w.walk(t.Elem(), where)
	case *types.Signature:
		for i := range t.Params().Len() {
			w.walk(t.Params().At(i).Type(), where)
		}
		for i := range t.Results().Len() {
			w.walk(t.Results().At(i).Type(), where)
		}
	case *types.Struct:
		for i := range t.NumFields() {
			if f := t.Field(i); f.Exported() || f.Embedded() {
				w.walk(f.Type(), where+"."+f.Name())
			}
		}
	case *types.Interface:
		for i := range t.NumMethods() {
			if m := t.Method(i); m.Exported() {
				w.walk(m.Type(), where+"."+m.Name())
			}
		}
	}
}
