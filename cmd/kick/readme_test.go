package main

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeCommands: every kick command of the README's CLI section is a command of the tree,
// with flags it takes, so that the README follows the CLI.
func TestReadmeCommands(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var section string
	for _, title := range []string{"## Webhooks not arriving?\n", "## The CLI\n"} {
		s, _, _ := strings.Cut(strings.SplitN(string(readme), title, 2)[1], "\n## ")
		section += s
	}
	n := 0
	inCode := false
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "```") {
			inCode = !inCode
			continue
		}
		if !inCode || !strings.HasPrefix(line, "kick ") {
			continue
		}
		line, _, _ = strings.Cut(line, " # ")
		line, _, _ = strings.Cut(line, ` > "`) // a redirection
		words := shellWords(t, strings.TrimSpace(line))[1:]
		a := testApp(nil)
		a.root.InitDefaultCompletionCmd() // cobra adds it when it executes
		c, rest, err := a.root.Find(words)
		if err != nil || c == a.root {
			t.Errorf("README: %q is not a command: %v", line, err)
			continue
		}
		if err := c.ParseFlags(rest); err != nil {
			t.Errorf("README: %q: %v", line, err)
			continue
		}
		if c.Args != nil {
			if err := c.Args(c, c.Flags().Args()); err != nil {
				t.Errorf("README: %q: %v", line, err)
			}
		}
		n++
	}
	if n < 15 {
		t.Errorf("the README's CLI section has %d kick commands; the loop and the everyday ones are missing", n)
	}
}
