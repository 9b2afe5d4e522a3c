// Command kickdocs compares openapi/kick.yaml with a copy of Kick's developer docs and lists what
// differs: operations, parameters, scopes, webhook event types and stated limits. Kick's docs
// move (docs.kick.com changed after our copy of KickEngineering/KickDevDocs), and the spec is
// hand-maintained: this makes the drift visible.
//
//	go run ./tools/kickdocs DOCS
//	make check-kick-docs DOCS=../shared/kick-api/docs
//
// DOCS is a directory of markdown pages, as KickEngineering/KickDevDocs has them, or one file:
// docs.kick.com's llms-full.txt (every page as markdown, one after the other), or a page. What it
// reads of them:
//
//   - Operations: GitBook's {% openapi-operation path="..." method="..." %} blocks, method and path
//     written together (`GET` `/oauth/authorize`, GET https://api.kick.com/public/v1/users), and
//     OpenAPI fragments (a JSON code block with "paths", as docs.kick.com renders an operation for
//     LLMs) with their parameters, request bodies, scopes and limits.
//   - Parameters: the tables of an operation's section (the lines up to the next operation or
//     second-level heading) whose first column is a name, and the fragments' parameters and body
//     properties. Header names are left out.
//   - Scopes: code spans such as `chat:write`, and the fragments' security.
//   - Event types: Kick-Event-Type lines and code spans in tables, such as `chat.message.sent`.
//   - Stated limits: "up to 100", "at most 25", "max 100", "500 characters" and the like, and the
//     fragments' maxItems, maxLength, minimum and maximum. A limit differs when its number is
//     nowhere in what the spec says of the operation of its section (its parameters' and body's
//     keywords and descriptions), or of the whole spec outside any operation.
//
// It prints one section per kind of difference and exits 1 when anything differs, 0 when nothing
// does, 2 on an error. Extractions from prose are heuristic: read the list, then fix the spec or
// leave a difference that is deliberate (the spec describes more than the docs).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/kick-sdk/kick-go/openapi"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main with its arguments and outputs, returning the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("kickdocs", flag.ContinueOnError)
	fl.SetOutput(stderr)
	specFile := fl.String("spec", "", "the OpenAPI document to compare (default: the embedded openapi/kick.yaml)")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: kickdocs [-spec FILE] DOCS\n\nDOCS is a directory of Kick's markdown docs, or a file such as docs.kick.com's llms-full.txt.")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 1 {
		fl.Usage()
		return 2
	}
	doc, text, err := loadSpec(*specFile)
	if err != nil {
		fmt.Fprintln(stderr, "kickdocs:", err)
		return 2
	}
	pages, err := readDocs(fl.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "kickdocs:", err)
		return 2
	}
	r := compare(specFacts(doc, text), docsFacts(pages))
	r.write(stdout, fl.Arg(0))
	if r.empty() {
		return 0
	}
	return 1
}

// loadSpec returns the spec and its text.
func loadSpec(file string) (*openapi3.T, []byte, error) {
	if file == "" {
		doc, err := openapi.Load(context.Background())
		return doc, openapi.Spec, err
	}
	text, err := os.ReadFile(file) //nolint:gosec // the spec to read is the caller's
	if err != nil {
		return nil, nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(text)
	return doc, text, err
}

// page is one markdown page: its name (a path under DOCS, or DOCS itself) and lines.
type page struct {
	name  string
	lines []string
}

// readDocs reads DOCS: every .md file of a directory, or one file.
func readDocs(root string) ([]page, error) {
	info, err := os.Stat(root)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		p, err := readPage(root, filepath.Base(root))
		return []page{p}, err
	}
	var pages []page
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		p, err := readPage(path, filepath.ToSlash(rel))
		pages = append(pages, p)
		return err
	})
	if len(pages) == 0 && err == nil {
		err = fmt.Errorf("no markdown page under %s", root)
	}
	return pages, err
}

func readPage(path, name string) (page, error) {
	f, err := os.Open(path) //nolint:gosec // the docs to read are the caller's
	if err != nil {
		return page{}, err
	}
	defer func() { _ = f.Close() }()
	p := page{name: name}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		p.lines = append(p.lines, sc.Text())
	}
	return p, sc.Err()
}

// opFacts is what one side says of an operation.
type opFacts struct {
	where string // docs: the page and line of its first mention
	// params are its parameter and body property names; paramsKnown says whether the side listed
	// any (the docs often do not). names are these and, in the spec, the properties of the body's
	// nested objects too, which docs tables list as well.
	params      map[string]bool
	names       map[string]bool
	paramsKnown bool
	scopes      map[string]bool
	// numbers are the numbers the side states of it (limit keywords, and in the spec the numbers
	// of its descriptions too).
	numbers map[int64]bool
	limits  []limit // docs only: the statements, for the report
}

// limit is a limit stated in the docs.
type limit struct {
	where, text string
	n           int64
	op          string // "" outside any operation
}

// facts is what one side says of Kick's API.
type facts struct {
	ops     map[string]*opFacts // by "METHOD /path" with path parameters written {}
	scopes  map[string]string   // name -> where
	events  map[string]string   // name -> where
	numbers map[int64]bool      // every number of the whole side (spec only)
	limits  []limit             // docs limits outside any operation
}

func newFacts() *facts {
	return &facts{ops: map[string]*opFacts{}, scopes: map[string]string{}, events: map[string]string{}, numbers: map[int64]bool{}}
}

func (f *facts) op(key, where string) *opFacts {
	o := f.ops[key]
	if o == nil {
		o = &opFacts{where: where, params: map[string]bool{}, names: map[string]bool{}, scopes: map[string]bool{}, numbers: map[int64]bool{}}
		f.ops[key] = o
	}
	return o
}

var pathParam = regexp.MustCompile(`\{[^}/]*\}|:[a-z_]+`)

// opKey is the key of an operation: the method in capitals and the path with its parameters
// written {}, without a host or a trailing slash.
func opKey(method, path string) string {
	path = strings.TrimSuffix(pathParam.ReplaceAllString(path, "{}"), "/")
	return strings.ToUpper(method) + " " + path
}

// ---------------------------------------------------------------------------------- the spec

// specFacts reads the spec, doc parsed from text: its operations (and the browser's authorize step
// of the user token's OAuth flow), their parameters, body properties, scopes and numbers, the
// scopes of its security schemes, its event types and every number it writes.
func specFacts(doc *openapi3.T, text []byte) *facts {
	f := newFacts()
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			o := f.op(opKey(method, path), op.OperationID)
			o.paramsKnown = true
			addNumbers(o.numbers, op.Description)
			for _, p := range slices.Concat(item.Parameters, op.Parameters) {
				if p.Value == nil {
					continue
				}
				if p.Value.In != openapi3.ParameterInHeader {
					o.params[p.Value.Name] = true
					o.names[p.Value.Name] = true
				}
				addNumbers(o.numbers, p.Value.Description)
				schemaNumbers(o.numbers, p.Value.Schema, map[*openapi3.Schema]bool{})
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					for name := range schemaProperties(mt.Schema, false, map[*openapi3.Schema]bool{}) {
						o.params[name] = true
					}
					maps.Copy(o.names, schemaProperties(mt.Schema, true, map[*openapi3.Schema]bool{}))
					schemaNumbers(o.numbers, mt.Schema, map[*openapi3.Schema]bool{})
				}
			}
			if op.Security != nil {
				for _, req := range *op.Security {
					for _, scopes := range req {
						for _, s := range scopes {
							o.scopes[s] = true
						}
					}
				}
			}
		}
	}
	for name, ss := range doc.Components.SecuritySchemes {
		if ss.Value == nil || ss.Value.Flows == nil {
			continue
		}
		for _, flow := range []*openapi3.OAuthFlow{ss.Value.Flows.AuthorizationCode, ss.Value.Flows.ClientCredentials, ss.Value.Flows.Implicit, ss.Value.Flows.Password} {
			if flow == nil {
				continue
			}
			for scope := range flow.Scopes {
				f.scopes[scope] = name
			}
			if flow.AuthorizationURL != "" {
				// The authorize step is a browser redirect, described by the scheme.
				if _, path, ok := strings.Cut(strings.TrimPrefix(flow.AuthorizationURL, "https://"), "/"); ok {
					f.op(opKey("GET", "/"+path), name).paramsKnown = false
				}
			}
		}
	}
	for name, s := range doc.Components.Schemas {
		if s.Value == nil {
			continue
		}
		if name == "EventName" {
			for _, e := range s.Value.Enum {
				if v, ok := e.(string); ok {
					f.events[v] = "EventName"
				}
			}
		}
	}
	addNumbers(f.numbers, string(text))
	return f
}

// schemaProperties returns the property names of a request body's schema, its oneOf, anyOf and
// allOf branches included, and with deep those of its nested objects and arrays' items too.
func schemaProperties(ref *openapi3.SchemaRef, deep bool, seen map[*openapi3.Schema]bool) map[string]bool {
	out := map[string]bool{}
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return out
	}
	s := ref.Value
	seen[s] = true
	for name, p := range s.Properties {
		out[name] = true
		if deep {
			maps.Copy(out, schemaProperties(p, true, seen))
		}
	}
	for _, b := range slices.Concat(s.OneOf, s.AnyOf, s.AllOf) {
		maps.Copy(out, schemaProperties(b, deep, seen))
	}
	if deep {
		maps.Copy(out, schemaProperties(s.Items, true, seen))
	}
	return out
}

// schemaNumbers adds the numbers of the limit keywords and descriptions of a schema, at every
// depth.
func schemaNumbers(out map[int64]bool, ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return
	}
	s := ref.Value
	seen[s] = true
	addNumbers(out, s.Description)
	for _, p := range []*uint64{&s.MinLength, s.MaxLength, &s.MinItems, s.MaxItems} {
		if p != nil && *p != 0 {
			out[int64(*p)] = true //nolint:gosec // a limit of the spec
		}
	}
	for _, p := range []*float64{s.Min, s.Max} {
		if p != nil {
			out[int64(*p)] = true
		}
	}
	for _, ext := range []string{"x-kick-max-graphemes", "x-kick-max-bytes"} {
		if n, ok := s.Extensions[ext].(float64); ok {
			out[int64(n)] = true
		}
	}
	for _, p := range s.Properties {
		schemaNumbers(out, p, seen)
	}
	for _, b := range slices.Concat(s.OneOf, s.AnyOf, s.AllOf) {
		schemaNumbers(out, b, seen)
	}
	schemaNumbers(out, s.Items, seen)
}

var numberRE = regexp.MustCompile(`\d{1,3}(?:,\d{3})+|\d+`)

// addNumbers adds every number written in text, "10,000" as 10000.
func addNumbers(out map[int64]bool, text string) {
	for _, m := range numberRE.FindAllString(text, -1) {
		if n, err := strconv.ParseInt(strings.ReplaceAll(m, ",", ""), 10, 64); err == nil {
			out[n] = true
		}
	}
}

// ---------------------------------------------------------------------------------- the docs

var (
	gitbookOp  = regexp.MustCompile(`\{%\s*openapi-operation\b[^%]*?\bpath="([^"]+)"[^%]*?\bmethod="([a-zA-Z]+)"`)
	gitbookOp2 = regexp.MustCompile(`\{%\s*openapi-operation\b[^%]*?\bmethod="([a-zA-Z]+)"[^%]*?\bpath="([^"]+)"`)
	// A method and a path written together: "GET /public/v1/users", "`POST` `/oauth/token`",
	// "GET https://api.kick.com/public/v1/users".
	methodPath = regexp.MustCompile("\\b(GET|POST|PUT|PATCH|DELETE)\\b[`*</>\"a-z=:;\\- ]{0,80}?(?:https://(?:api|id)\\.kick\\.com)?(/(?:public/v\\d+|oauth)(?:/[A-Za-z0-9_{}:.-]*)*)")
	heading    = regexp.MustCompile(`^(#{1,6})\s`)
	codeSpan   = regexp.MustCompile("`([^`]+)`|<code>([^<]+)</code>")
	scopeName  = regexp.MustCompile(`^[a-z]+(?::[a-z_]+)+$`)
	eventName  = regexp.MustCompile(`^[a-z]+(?:\.[a-z_]+)+$`)
	eventType  = regexp.MustCompile(`Kick-Event-Type:\s*["“”']?([a-z][a-z_.]+[a-z])`)
	limitRE    = regexp.MustCompile(`(?i)\b(?:up to|at most|maximum of|maximum|max\.?|limit(?:ed)? (?:of|to)|no more than|cannot exceed|capped at)(?:\s+|\s*[=:]\s*)(?:\*\*)?(\d{1,3}(?:,\d{3})+|\d+)|(\d{1,3}(?:,\d{3})+|\d+)(?:\*\*)?\s+(?:grapheme clusters|graphemes|characters|bytes|subscriptions|items|ids|values|redemptions|claims|rewards|requests)\b`)
	firstCell  = regexp.MustCompile(`^\|\s*([^|]+?)\s*\|`)
	headerName = regexp.MustCompile(`^[A-Z][A-Za-z]*(?:-[A-Z][A-Za-z]*)+$`)
	paramName  = regexp.MustCompile(`^[a-z][a-z0-9_]*(?:\[\])?$`)
)

// docsFacts reads the pages.
func docsFacts(pages []page) *facts {
	f := newFacts()
	for _, p := range pages {
		readPageFacts(f, p)
	}
	return f
}

// readPageFacts adds what one page says.
func readPageFacts(f *facts, p page) {
	var (
		current string // the operation whose section this is
		inCode  bool
		code    []string
		level   int // the level of the last heading
		opLevel int // the level of the heading current was named under: a heading as high ends it
	)
	mention := func(line, where string) {
		if key, ok := mentionedOp(line); ok {
			f.op(key, where)
			current, opLevel = key, max(level, 1)
		}
	}
	events := false
	for _, l := range p.lines {
		if strings.Contains(l, "Kick-Event-Type") || strings.Contains(strings.ToLower(l), "webhook") {
			events = true
			break
		}
	}
	for i, line := range p.lines {
		where := fmt.Sprintf("%s:%d", p.name, i+1)
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			if inCode {
				readFragment(f, strings.Join(code, "\n"), where)
			}
			inCode, code = !inCode, nil
			continue
		}
		if inCode {
			code = append(code, line)
			if m := eventType.FindStringSubmatch(line); m != nil {
				f.addEvent(m[1], where)
			}
			if !strings.HasPrefix(strings.TrimSpace(strings.Join(code, "")), "{") {
				mention(line, where) // an endpoint or an example request, not inside JSON
			}
			continue
		}
		if m := heading.FindStringSubmatch(line); m != nil {
			level = len(m[1])
			if current != "" && level <= opLevel {
				current = ""
			}
		}
		mention(line, where)
		if m := eventType.FindStringSubmatch(line); m != nil {
			f.addEvent(m[1], where)
		}
		for _, m := range codeSpan.FindAllStringSubmatch(line, -1) {
			text := strings.TrimSpace(m[1] + m[2])
			switch {
			case scopeName.MatchString(text):
				f.scopes[text] = where
			case events && isTableRow(line) && eventName.MatchString(text) && !strings.Contains(text, "kick") && !strings.HasSuffix(text, ".md"):
				f.addEvent(text, where)
			}
		}
		if current != "" && strings.HasPrefix(trimmed, "|") {
			if m := firstCell.FindStringSubmatch(trimmed); m != nil {
				name := strings.Trim(strings.ReplaceAll(m[1], `\_`, "_"), "`* ")
				if paramName.MatchString(name) && !headerName.MatchString(name) && !strings.EqualFold(name, "name") {
					o := f.ops[current]
					o.params[strings.TrimSuffix(name, "[]")] = true
					o.paramsKnown = true
				}
			}
		}
		for _, m := range limitRE.FindAllStringSubmatch(line, -1) {
			num := m[1] + m[2]
			n, err := strconv.ParseInt(strings.ReplaceAll(num, ",", ""), 10, 64)
			if err != nil || n < 2 {
				continue
			}
			l := limit{where: where, text: strings.TrimSpace(m[0]), n: n, op: current}
			if current != "" {
				f.ops[current].limits = append(f.ops[current].limits, l)
			} else {
				f.limits = append(f.limits, l)
			}
		}
	}
}

func isTableRow(line string) bool {
	t := strings.TrimSpace(line)
	return strings.HasPrefix(t, "|") || strings.Contains(t, "<td>") || strings.HasPrefix(t, "<table")
}

func (f *facts) addEvent(name, where string) {
	if _, ok := f.events[name]; !ok {
		f.events[name] = where
	}
}

// mentionedOp returns the operation a line names, if any.
func mentionedOp(line string) (string, bool) {
	if m := gitbookOp.FindStringSubmatch(line); m != nil {
		return opKey(m[2], m[1]), true
	}
	if m := gitbookOp2.FindStringSubmatch(line); m != nil {
		return opKey(m[1], m[2]), true
	}
	if m := methodPath.FindStringSubmatch(line); m != nil {
		return opKey(m[1], m[2]), true
	}
	return "", false
}

// readFragment reads a JSON code block that is an OpenAPI (or Swagger) fragment: its operations,
// parameters, body properties, scopes and limit keywords. Anything else is left alone.
func readFragment(f *facts, text, where string) {
	var frag struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if json.Unmarshal([]byte(text), &frag) != nil || len(frag.Paths) == 0 {
		return
	}
	resolve := func(raw json.RawMessage) map[string]any {
		var v map[string]any
		_ = json.Unmarshal(raw, &v)
		return v
	}
	for path, item := range frag.Paths {
		for method, raw := range item {
			if !slices.Contains([]string{"get", "post", "put", "patch", "delete"}, strings.ToLower(method)) {
				continue
			}
			o := f.op(opKey(method, path), where)
			op := resolve(raw)
			if params, ok := op["parameters"].([]any); ok {
				for _, p := range params {
					pm, _ := p.(map[string]any)
					if name, _ := pm["name"].(string); name != "" && pm["in"] != "header" {
						o.params[name] = true
						o.paramsKnown = true
					}
					fragmentNumbers(o, pm["schema"], frag.Components.Schemas, where, 0)
				}
			}
			if body, ok := op["requestBody"].(map[string]any); ok {
				content, _ := body["content"].(map[string]any)
				for _, mt := range content {
					m, _ := mt.(map[string]any)
					schema := deref(m["schema"], frag.Components.Schemas)
					if props, ok := schema["properties"].(map[string]any); ok {
						for name := range props {
							o.params[name] = true
							o.paramsKnown = true
						}
					}
					fragmentNumbers(o, schema, frag.Components.Schemas, where, 0)
				}
			}
			if sec, ok := op["security"].([]any); ok {
				for _, req := range sec {
					rm, _ := req.(map[string]any)
					for _, scopes := range rm {
						list, _ := scopes.([]any)
						for _, s := range list {
							if name, ok := s.(string); ok {
								o.scopes[name] = true
								f.scopes[name] = where
							}
						}
					}
				}
			}
		}
	}
}

// deref returns a schema of a fragment, following a $ref to its components.
func deref(v any, schemas map[string]json.RawMessage) map[string]any {
	m, _ := v.(map[string]any)
	if ref, ok := m["$ref"].(string); ok {
		name := ref[strings.LastIndexByte(ref, '/')+1:]
		var out map[string]any
		_ = json.Unmarshal(schemas[name], &out)
		return out
	}
	return m
}

// fragmentNumbers records the limit keywords of a fragment's schema as stated limits.
func fragmentNumbers(o *opFacts, v any, schemas map[string]json.RawMessage, where string, depth int) {
	s := deref(v, schemas)
	if s == nil || depth > 8 {
		return
	}
	for _, kw := range []string{"maxItems", "maxLength", "maximum", "minimum", "minItems"} {
		if n, ok := s[kw].(float64); ok && n >= 2 {
			o.limits = append(o.limits, limit{where: where, text: fmt.Sprintf("%s %v", kw, n), n: int64(n)})
		}
	}
	if props, ok := s["properties"].(map[string]any); ok {
		for _, p := range props {
			fragmentNumbers(o, p, schemas, where, depth+1)
		}
	}
	fragmentNumbers(o, s["items"], schemas, where, depth+1)
}

// ---------------------------------------------------------------------------------- comparing

// report is what differs, each list sorted.
type report struct {
	docsOps, specOps       []string
	params                 []string
	docsScopes, specScopes []string
	docsEvents, specEvents []string
	limits                 []string
}

func (r report) empty() bool {
	return len(r.docsOps)+len(r.specOps)+len(r.params)+len(r.docsScopes)+len(r.specScopes)+
		len(r.docsEvents)+len(r.specEvents)+len(r.limits) == 0
}

// compare lists what differs between the spec and the docs.
func compare(spec, docs *facts) report {
	var r report
	for _, key := range slices.Sorted(maps.Keys(docs.ops)) {
		d := docs.ops[key]
		s, ok := spec.ops[key]
		if !ok {
			r.docsOps = append(r.docsOps, fmt.Sprintf("%s (%s)", key, d.where))
			continue
		}
		if d.paramsKnown && s.paramsKnown {
			onlyDocs, onlySpec := setDiff(d.params, s.names), setDiff(s.params, d.params)
			if len(onlyDocs)+len(onlySpec) > 0 {
				r.params = append(r.params, fmt.Sprintf("%s (%s, %s): in the docs only: %s; in the spec only: %s",
					key, s.where, d.where, orNone(onlyDocs), orNone(onlySpec)))
			}
		}
		for _, sc := range setDiff(d.scopes, s.scopes) {
			r.params = append(r.params, fmt.Sprintf("%s (%s): the docs ask for scope %s, the spec does not", key, s.where, sc))
		}
		for _, l := range d.limits {
			if !s.numbers[l.n] {
				r.limits = append(r.limits, fmt.Sprintf("%s: %q for %s (%s): the spec states no %d for it", l.where, l.text, key, s.where, l.n))
			}
		}
	}
	for _, key := range slices.Sorted(maps.Keys(spec.ops)) {
		if _, ok := docs.ops[key]; !ok {
			r.specOps = append(r.specOps, fmt.Sprintf("%s (%s)", key, spec.ops[key].where))
		}
	}
	for _, l := range docs.limits {
		if !spec.numbers[l.n] {
			r.limits = append(r.limits, fmt.Sprintf("%s: %q: the spec states no %d anywhere", l.where, l.text, l.n))
		}
	}
	r.docsScopes, r.specScopes = mapDiff(docs.scopes, spec.scopes), mapDiff(spec.scopes, docs.scopes)
	r.docsEvents, r.specEvents = mapDiff(docs.events, spec.events), mapDiff(spec.events, docs.events)
	slices.Sort(r.limits)
	return r
}

func setDiff(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

func mapDiff(a, b map[string]string) []string {
	var out []string
	for k, where := range a {
		if _, ok := b[k]; !ok {
			out = append(out, fmt.Sprintf("%s (%s)", k, where))
		}
	}
	slices.Sort(out)
	return out
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// write prints the report.
func (r report) write(w io.Writer, docs string) {
	if r.empty() {
		fmt.Fprintf(w, "kickdocs: the spec and %s agree on operations, parameters, scopes, events and limits\n", docs)
		return
	}
	fmt.Fprintf(w, "kickdocs: openapi/kick.yaml and %s differ\n", docs)
	for _, s := range []struct {
		title string
		items []string
	}{
		{"operations in the docs, not in the spec", r.docsOps},
		{"operations in the spec, not in the docs", r.specOps},
		{"parameters and scopes of an operation that differ", r.params},
		{"scopes in the docs, not in the spec", r.docsScopes},
		{"scopes in the spec, not in the docs", r.specScopes},
		{"event types in the docs, not in the spec", r.docsEvents},
		{"event types in the spec, not in the docs", r.specEvents},
		{"limits the docs state and the spec does not", r.limits},
	} {
		if len(s.items) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%d):\n", s.title, len(s.items))
		for _, item := range s.items {
			fmt.Fprintf(w, "  %s\n", item)
		}
	}
}
