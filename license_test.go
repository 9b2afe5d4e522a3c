package kickgo

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// Every module of the repository carries the license: a module's zip holds only the files under
// its own directory, so the kickredis module needs its own copy, the same text.
func TestEveryModuleHasTheLicense(t *testing.T) {
	t.Parallel()
	root, err := os.ReadFile("LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"MIT License", "Copyright (c) 2026 The kick-go authors", "THE SOFTWARE IS PROVIDED \"AS IS\""} {
		if !strings.Contains(string(root), want) {
			t.Errorf("LICENSE lacks %q", want)
		}
	}
	for _, module := range []string{"kickredis"} {
		got, err := os.ReadFile(module + "/LICENSE")
		if err != nil {
			t.Errorf("module %s: %v", module, err)
			continue
		}
		if !bytes.Equal(got, root) {
			t.Errorf("%s/LICENSE differs from LICENSE", module)
		}
	}
}
