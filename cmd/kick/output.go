package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/itchyny/gojq"
	"github.com/spf13/cobra"
)

// Output formats of -o.
const (
	formatTable = "table"
	formatJSON  = "json"
)

// output is the output flags of a command that prints data: -o table|json, --jq and --template.
type output struct {
	format   string
	jq       string
	template string

	cmd  *cobra.Command
	code *gojq.Code
	tmpl *template.Template
}

// formatValue is the pflag.Value of -o: it accepts the formats of the command only.
type formatValue struct {
	p      *string
	jsonOK bool // only json, for a command that prints JSON alone
}

func (v formatValue) String() string { return *v.p }

func (v formatValue) Set(s string) error {
	switch {
	case v.jsonOK && s != formatJSON:
		return errors.New("this command prints JSON: want json")
	case s != formatTable && s != formatJSON:
		return errors.New("want table or json")
	}
	*v.p = s
	return nil
}

func (formatValue) Type() string { return "format" }

// addOutput registers the output flags of c.
func (a *app) addOutput(c *cobra.Command) *output {
	o := &output{format: formatTable, cmd: c}
	a.outputFlags(c, o, formatValue{p: &o.format}, "output `format`: table or json")
	return o
}

// addJSONOutput registers the output flags of c, a command that prints JSON alone: -o json is
// its default and only format.
func (a *app) addJSONOutput(c *cobra.Command) *output {
	o := &output{format: formatJSON, cmd: c}
	a.outputFlags(c, o, formatValue{p: &o.format, jsonOK: true}, "output `format`: json, the only one")
	return o
}

func (a *app) outputFlags(c *cobra.Command, o *output, format formatValue, usage string) {
	fs := c.Flags()
	fs.VarP(format, "output", "o", usage)
	fs.StringVarP(&o.jq, "jq", "q", "", "filter the JSON output with a jq `expression` (implies -o json)")
	fs.StringVarP(&o.template, "template", "t", "", "format the JSON output with a Go `template` (implies -o json)")
	formats := []cobra.Completion{formatTable, formatJSON}
	if format.jsonOK {
		formats = formats[1:]
	}
	_ = c.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(formats, cobra.ShellCompDirectiveNoFileComp))
	a.outputs[c] = o
}

// check compiles --jq and --template, before the command sends anything.
func (o *output) check() error {
	if o.jq != "" && o.template != "" {
		return errors.New("give --jq or --template, not both")
	}
	if (o.jq != "" || o.template != "") && o.format == formatTable && o.formatSet() {
		return errors.New("--jq and --template print JSON: drop -o table")
	}
	if o.jq != "" {
		q, err := gojq.Parse(o.jq)
		if err != nil {
			return fmt.Errorf("invalid --jq expression: %w", err)
		}
		if o.code, err = gojq.Compile(q, gojq.WithEnvironLoader(func() []string { return nil })); err != nil {
			return fmt.Errorf("invalid --jq expression: %w", err)
		}
	}
	if o.template != "" {
		t, err := template.New("--template").Funcs(templateFuncs).Parse(o.template)
		if err != nil {
			return fmt.Errorf("invalid --template: %w", err)
		}
		o.tmpl = t
	}
	if o.jq != "" || o.template != "" {
		o.format = formatJSON
	}
	return nil
}

// formatSet reports whether -o was given.
func (o *output) formatSet() bool { return o.cmd.Flags().Changed("output") }

// json reports whether the command prints JSON.
func (o *output) json() bool { return o != nil && o.format == formatJSON }

// print writes v as the command's output: the table printer's in table format, else v as
// JSON (Kick's names, from the models' JSON tags), through --jq or --template when given.
func (a *app) print(ctx context.Context, o *output, v any, table func() error) error {
	if !o.json() {
		return table()
	}
	return a.printJSON(ctx, o, v)
}

// printJSON writes v as indented JSON, or through --jq or --template.
func (a *app) printJSON(ctx context.Context, o *output, v any) error {
	raw, err := marshalJSON(v)
	if err != nil {
		return err
	}
	return a.printRawJSON(ctx, o, raw)
}

// printRawJSON writes a JSON document indented, or through --jq or --template.
func (a *app) printRawJSON(ctx context.Context, o *output, raw []byte) error {
	if o == nil || (o.code == nil && o.tmpl == nil) {
		return writeRawJSON(a.stdout, raw)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("decoding the JSON output: %w", err)
	}
	if o.tmpl != nil {
		var buf bytes.Buffer
		if err := o.tmpl.Execute(&buf, doc); err != nil {
			return fmt.Errorf("--template: %w", err)
		}
		_, err := a.stdout.Write(buf.Bytes())
		return err
	}
	return runJQ(ctx, o.code, doc, a.stdout)
}

// runJQ writes the results of code on doc as jq -r does: strings as they are, other values as
// indented JSON, one a line.
func runJQ(ctx context.Context, code *gojq.Code, doc any, w io.Writer) error {
	iter := code.RunWithContext(ctx, doc)
	var buf bytes.Buffer
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if err, ok := v.(error); ok {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				break
			}
			_, _ = w.Write(buf.Bytes())
			return fmt.Errorf("--jq: %w", err)
		}
		if s, ok := v.(string); ok {
			buf.WriteString(s)
			buf.WriteByte('\n')
			continue
		}
		b, err := marshalIndent(v)
		if err != nil {
			return fmt.Errorf("--jq: %w", err)
		}
		buf.Write(b)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// marshalJSON encodes v on one line, with '<', '>' and '&' as they are.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// marshalIndent encodes v indented, with a final line break.
func marshalIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// jsonLine writes v as JSON on one line.
func jsonLine(w io.Writer, v any) error {
	b, err := marshalJSON(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// writeRawJSON writes a JSON body indented, leaving string contents byte for byte; a body that is
// not JSON is written as it is, and an empty body not at all.
func writeRawJSON(w io.Writer, body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, body, "", "  "); err != nil {
		buf.Reset()
		buf.Write(body)
	}
	if !bytes.HasSuffix(buf.Bytes(), []byte("\n")) {
		buf.WriteByte('\n')
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// templateFuncs are the functions of --template, after gh's.
var templateFuncs = template.FuncMap{
	// json encodes a value as JSON on one line.
	"json": func(v any) (string, error) {
		b, err := marshalJSON(v)
		return string(b), err
	},
	// join joins a list's values with sep.
	"join": func(sep string, list []any) string {
		s := make([]string, len(list))
		for i, v := range list {
			s[i] = fmt.Sprint(v)
		}
		return strings.Join(s, sep)
	},
	// pluck takes one field of each object of a list.
	"pluck": func(field string, list []any) []any {
		var out []any
		for _, v := range list {
			if m, ok := v.(map[string]any); ok {
				out = append(out, m[field])
			}
		}
		return out
	},
	// truncate shortens a string to n characters.
	"truncate": func(n int, v any) string { return truncate(fmt.Sprint(v), n) },
	// timefmt formats an RFC 3339 time with a Go layout.
	"timefmt": func(layout string, v any) (string, error) {
		t, err := time.Parse(time.RFC3339Nano, fmt.Sprint(v))
		if err != nil {
			return "", err
		}
		return t.Format(layout), nil
	},
	"upper": strings.ToUpper,
	"lower": strings.ToLower,
}

// table is rows under a header. On a terminal it prints aligned columns that fit its width,
// shortening the flexible columns; piped, tab-separated lines without the header, as gh does, for
// cut and awk.
type table struct {
	header []string
	flex   []int // the columns that may be shortened, the first shortened first
	rows   [][]string
}

func newTable(header ...string) *table { return &table{header: header} }

// shrink marks the columns that may be shortened to fit the terminal.
func (t *table) shrink(cols ...int) *table {
	t.flex = cols
	return t
}

func (t *table) row(cells ...string) {
	for i, c := range cells {
		cells[i] = strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(c)
	}
	t.rows = append(t.rows, cells)
}

// render writes the table to w for term.
func (t *table) render(w io.Writer, term terminal) error {
	var buf bytes.Buffer
	if !term.tty {
		for _, r := range t.rows {
			buf.WriteString(strings.Join(r, "\t"))
			buf.WriteByte('\n')
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
	all := append([][]string{t.header}, t.rows...)
	widths := make([]int, len(t.header))
	for _, r := range all {
		for i, c := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], utf8.RuneCountInString(c))
			}
		}
	}
	const gap = 2
	total := func() int {
		n := 0
		for _, w := range widths {
			n += w
		}
		return n + gap*(len(widths)-1)
	}
	// Shorten the flexible columns, the widest first, down to their header or 8 characters.
	for over := total() - term.width; over > 0; over = total() - term.width {
		best := -1
		for _, i := range t.flex {
			floor := max(utf8.RuneCountInString(t.header[i]), 8)
			if widths[i] > floor && (best < 0 || widths[i] > widths[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		floor := max(utf8.RuneCountInString(t.header[best]), 8)
		widths[best] = max(floor, widths[best]-over)
	}
	for _, r := range all {
		for i, c := range r {
			if i >= len(widths) {
				break
			}
			c = truncate(c, widths[i])
			buf.WriteString(c)
			if i < len(r)-1 {
				buf.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+gap))
			}
		}
		buf.WriteByte('\n')
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// printTable renders t on stdout.
func (a *app) printTable(t *table) error { return t.render(a.stdout, a.terminalOf(a.stdout)) }

// fields writes name-value pairs, one a line, aligned.
func fields(w io.Writer, pairs ...string) error {
	width := 0
	for i := 0; i+1 < len(pairs); i += 2 {
		width = max(width, utf8.RuneCountInString(pairs[i]))
	}
	var buf bytes.Buffer
	for i := 0; i+1 < len(pairs); i += 2 {
		fmt.Fprintf(&buf, "%s:%s%s\n", pairs[i], strings.Repeat(" ", width-utf8.RuneCountInString(pairs[i])+2), pairs[i+1])
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// truncate shortens s to n runes, the last an ellipsis.
func truncate(s string, n int) string {
	if n <= 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// wantsJSON tells from the command line whether errors should be JSON: -o json, --jq or
// --template anywhere before "--". The flags are parsed later; an error may come first.
func wantsJSON(args []string) bool {
	for i, arg := range args {
		switch {
		case arg == "--":
			return false
		case arg == "-o" || arg == "--output":
			if i+1 < len(args) && args[i+1] == formatJSON {
				return true
			}
		case arg == "-ojson" || arg == "--output=json" || arg == "-o=json":
			return true
		case slices.Contains([]string{"--jq", "-q", "--template", "-t"}, arg),
			strings.HasPrefix(arg, "--jq="), strings.HasPrefix(arg, "--template="):
			return true
		}
	}
	return false
}
