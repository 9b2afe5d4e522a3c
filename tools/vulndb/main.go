// Command vulndb builds a local copy of the Go vulnerability database, in the v1 layout that
// govulncheck reads with -db file://DIR, from the golang.org/x/vulndb module that the Go module
// proxy serves. It lets govulncheck run where vuln.go.dev cannot be reached.
//
//	go run ./tools/vulndb -version latest -out .bin/vulndb
//
// It downloads golang.org/x/vulndb@VERSION with `go mod download` (a module like any other, so
// through GOPROXY and checked against go.sum's database), copies every advisory of its data/osv/
// to OUT/ID/<id>.json, and writes the two indexes govulncheck reads first:
//
//	OUT/index/db.json       {"modified": the module's commit time}
//	OUT/index/modules.json  [{"path": module, "vulns": [{"id", "modified", "fixed"}]}]
//
// "fixed" is computed as x/vuln's client computes it for vuln.go.dev (the latest fixed version of
// the SEMVER ranges, or none when a later version reintroduced the vulnerability); govulncheck
// only uses it to skip advisories that cannot apply, and checks every candidate's ranges itself.
// The advisories in the repository carry zero modified times, so the database's modified time
// is the commit time of the module version.
//
// It prints the resolved version, so a scan's log says which snapshot of the database it used.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

const module = "golang.org/x/vulndb"

func main() {
	version := flag.String("version", "latest", "version of "+module+" to build the database from (a pseudo-version, or latest)")
	out := flag.String("out", ".bin/vulndb", "directory to write the database to; replaced")
	src := flag.String("src", "", "build from this directory of OSV files instead of downloading the module (for tests)")
	flag.Parse()
	if err := run(*version, *src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func run(version, src, out string) error {
	modified := time.Time{}
	if src == "" {
		dl, err := download(version)
		if err != nil {
			return err
		}
		src, modified = filepath.Join(dl.Dir, "data", "osv"), dl.Time
		version = dl.Version
		stamp, err := os.ReadFile(filepath.Join(out, "version")) //nolint:gosec // the output directory is the caller's
		if err == nil && string(stamp) == version+"\n" {
			fmt.Printf("vulndb: %s@%s already in %s\n", module, version, out)
			return nil
		}
	}
	n, err := build(src, out, modified)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "version"), []byte(version+"\n"), 0o600); err != nil {
		return err
	}
	fmt.Printf("vulndb: %d advisories of %s@%s in %s\n", n, module, version, out)
	return nil
}

type downloaded struct {
	Version string
	Info    string // the .info file: {"Version", "Time"}
	Dir     string
	Error   string
	Time    time.Time
}

// download fetches module@version into the module cache and says where it is.
func download(version string) (*downloaded, error) {
	cmd := exec.CommandContext(context.Background(), "go", "mod", "download", "-json", module+"@"+version) //nolint:gosec // the version is the caller's own choice of module version
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var d downloaded
	if err := json.Unmarshal(stdout.Bytes(), &d); err != nil || d.Error != "" || runErr != nil {
		return nil, fmt.Errorf("go mod download %s@%s: %s%s: %w", module, version, d.Error, stderr.String(), errors.Join(runErr, err))
	}
	if d.Dir == "" || d.Info == "" {
		return nil, fmt.Errorf("go mod download %s@%s: no directory or info file", module, version)
	}
	info, err := os.ReadFile(d.Info)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(info, &d); err != nil {
		return nil, fmt.Errorf("%s: %w", d.Info, err)
	}
	return &d, nil
}

// entry is the part of an OSV advisory the index needs.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Affected []struct {
		Module struct {
			Path string `json:"name"`
		} `json:"package"`
		Ranges []osvRange `json:"ranges"`
	} `json:"affected"`
}

type osvRange struct {
	Type   string `json:"type"`
	Events []struct {
		Introduced string `json:"introduced,omitempty"`
		Fixed      string `json:"fixed,omitempty"`
	} `json:"events"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

// build writes the v1 database of the OSV files in src to out and returns the number of
// advisories. modified is the database's modified time when no advisory has a later one.
func build(src, out string, modified time.Time) (int, error) {
	files, err := filepath.Glob(filepath.Join(src, "*.json"))
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, fmt.Errorf("no OSV files in %s", src)
	}
	tmp := out + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Join(tmp, "ID"), 0o750); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Join(tmp, "index"), 0o750); err != nil {
		return 0, err
	}
	modules := map[string]*moduleMeta{}
	for _, f := range files {
		b, err := os.ReadFile(f) //nolint:gosec // reading the advisories is the point
		if err != nil {
			return 0, err
		}
		var e entry
		if err := json.Unmarshal(b, &e); err != nil {
			return 0, fmt.Errorf("%s: %w", f, err)
		}
		if e.ID == "" || filepath.Base(f) != e.ID+".json" {
			return 0, fmt.Errorf("%s: the file of advisory %q must be named <id>.json", f, e.ID)
		}
		// The id is the file's base name (checked above), so it names a file inside ID/.
		if err := os.WriteFile(filepath.Join(tmp, "ID", e.ID+".json"), b, 0o600); err != nil { //nolint:gosec // see above
			return 0, err
		}
		if e.Modified.After(modified) {
			modified = e.Modified
		}
		for _, a := range e.Affected {
			m := modules[a.Module.Path]
			if m == nil {
				m = &moduleMeta{Path: a.Module.Path, Vulns: []moduleVuln{}}
				modules[a.Module.Path] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified, Fixed: nonSupersededFix(a.Ranges)})
		}
	}
	list := make([]*moduleMeta, 0, len(modules))
	for _, m := range modules {
		sort.SliceStable(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		list = append(list, m)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Path < list[j].Path })
	if err := writeJSON(filepath.Join(tmp, "index", "modules.json"), list); err != nil {
		return 0, err
	}
	if err := writeJSON(filepath.Join(tmp, "index", "db.json"), struct {
		Modified time.Time `json:"modified"`
	}{modified}); err != nil {
		return 0, err
	}
	if err := os.RemoveAll(out); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp, out); err != nil {
		return 0, err
	}
	return len(files), nil
}

func writeJSON(path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}

// nonSupersededFix is the latest fixed version of the SEMVER ranges, or "" if a later version
// reintroduced the vulnerability (x/vuln's internal/semver.NonSupersededFix).
func nonSupersededFix(ranges []osvRange) string {
	var latest string
	for _, r := range ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, e := range r.Events {
			if e.Fixed != "" && less(latest, e.Fixed) {
				latest = e.Fixed
			}
		}
		for _, e := range r.Events {
			if e.Introduced != "" && e.Introduced != "0" && less(latest, e.Introduced) {
				latest = ""
				break
			}
		}
	}
	return latest
}

// less compares versions written with a "v", a "go" or no prefix, as OSV's Go advisories are.
func less(a, b string) bool { return semver.Compare(canonical(a), canonical(b)) < 0 }

func canonical(v string) string {
	v = strings.TrimPrefix(strings.TrimPrefix(v, "v"), "go")
	return "v" + v
}
