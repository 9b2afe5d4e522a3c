package kick_test

import (
	"context"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kick-sdk/kick-go/internal/modeljson"
	"github.com/kick-sdk/kick-go/kick"
	"github.com/kick-sdk/kick-go/openapi"
)

// TestReadmeCoverageTable checks that the README's coverage table has a row for every operation of
// the spec, and that every method a row names exists on the client.
func TestReadmeCoverageTable(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	rowRE := regexp.MustCompile("(?m)^\\| [^|]+ \\| `([a-z][a-zA-Z0-9]+)` \\|.*$")
	for _, m := range rowRE.FindAllStringSubmatch(string(readme), -1) {
		rows[m[1]] = m[0]
	}
	doc, err := openapi.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	client, err := kick.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	methodRE := regexp.MustCompile("`([A-Z][a-zA-Z]+)\\.([A-Z][a-zA-Z0-9]+)`")
	ops := 0
	for _, path := range doc.Paths.InMatchingOrder() {
		for _, op := range doc.Paths.Value(path).Operations() {
			ops++
			row, ok := rows[op.OperationID]
			if !ok {
				t.Errorf("the README's coverage table has no row for %s", op.OperationID)
				continue
			}
			methods := methodRE.FindAllStringSubmatch(row, -1)
			if len(methods) == 0 {
				t.Errorf("row %s names no method", op.OperationID)
			}
			for _, m := range methods {
				svc := reflect.ValueOf(client).Elem().FieldByName(m[1])
				if !svc.IsValid() || !svc.MethodByName(m[2]).IsValid() {
					t.Errorf("row %s names %s.%s, which the client lacks", op.OperationID, m[1], m[2])
				}
			}
			if op.Deprecated && !strings.Contains(row, "deprecated") {
				t.Errorf("row %s does not say the operation is deprecated", op.OperationID)
			}
		}
	}
	if len(rows) != ops {
		t.Errorf("the table has %d operation rows, the spec %d operations", len(rows), ops)
	}
}

// TestReadmeModelTables checks that every type the README's kickpy tables name on the kick-go side
// is an exported type of its package: a renamed type fails here until the README follows.
func TestReadmeModelTables(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	tables := []struct {
		header, dir string
	}{
		{"| kickpy model | `kick` type |", "."},
		{"| kickpy webhook model | `webhook` type |", "webhook"},
	}
	nameRE := regexp.MustCompile("`([A-Z][A-Za-z0-9]*)`")
	for _, tb := range tables {
		types, err := modeljson.ExportedTypes(tb.dir)
		if err != nil {
			t.Fatal(err)
		}
		_, rest, ok := strings.Cut(string(readme), tb.header+"\n")
		if !ok {
			t.Fatalf("README has no table %q", tb.header)
		}
		rows := 0
		for _, line := range strings.Split(rest, "\n") {
			if !strings.HasPrefix(line, "|") {
				break
			}
			cells := strings.Split(line, "|")
			if len(cells) < 4 || strings.HasPrefix(cells[1], "---") {
				continue
			}
			rows++
			for _, m := range nameRE.FindAllStringSubmatch(cells[2], -1) {
				if !slices.Contains(types.All, m[1]) {
					t.Errorf("README table %q names %s, which package %s does not declare: %s", tb.header, m[1], tb.dir, line)
				}
			}
		}
		if rows < 10 {
			t.Errorf("README table %q has %d rows", tb.header, rows)
		}
	}
}
