// Command artifactcheck fails when the repository tracks a build artifact: an executable binary
// (ELF, Mach-O, PE, WebAssembly, an ar archive, or any file with the executable bit that is not
// text), or a file larger than -max bytes (1 MiB) outside a testdata directory. It checks the
// files of git's index, as committed or staged, not the working tree, so an ignored build output
// never counts and a staged one always does.
//
//	go run ./tools/artifactcheck        # make check-artifacts
//
// A binary that was committed by mistake is removed with `git rm --cached PATH` and ignored in
// .gitignore; history is not rewritten.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"slices"
	"strconv"
	"strings"
)

func main() {
	maxSize := flag.Int64("max", 1<<20, "the largest size, in bytes, of a tracked file outside testdata")
	dir := flag.String("C", ".", "a directory of the repository to check")
	flag.Parse()
	problems, err := check(context.Background(), *dir, *maxSize)
	if err != nil {
		fmt.Fprintln(os.Stderr, "artifactcheck:", err)
		os.Exit(2)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "artifactcheck:", p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "artifactcheck: %d tracked file(s) look like build artifacts: remove them with `git rm --cached PATH` and add them to .gitignore\n", len(problems))
		os.Exit(1)
	}
	fmt.Println("artifactcheck: no tracked executable binary, no file over", *maxSize, "bytes outside testdata")
}

// entry is a file of git's index.
type entry struct {
	mode, object, path string
}

// check returns a line per tracked file of the repository at dir that is an executable binary,
// or larger than maxSize outside a testdata directory.
func check(ctx context.Context, dir string, maxSize int64) ([]string, error) {
	entries, err := indexEntries(ctx, dir)
	if err != nil {
		return nil, err
	}
	var problems []string
	err = readBlobs(ctx, dir, entries, func(e entry, size int64, head []byte) {
		if kind := executable(e.mode, head); kind != "" {
			problems = append(problems, fmt.Sprintf("%s: an executable binary (%s)", e.path, kind))
			return
		}
		if size > maxSize && !inTestdata(e.path) {
			problems = append(problems, fmt.Sprintf("%s: %d bytes, over the %d-byte limit for a file outside testdata", e.path, size, maxSize))
		}
	})
	return problems, err
}

// indexEntries lists the regular files of the index (symbolic links and submodules are not files
// of the repository's own).
func indexEntries(ctx context.Context, dir string) ([]entry, error) {
	cmd := exec.CommandContext(ctx, "git", "ls-files", "--stage", "-z")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %w: %s", err, bytes.TrimSpace(stderr.Bytes()))
	}
	var entries []entry
	for rec := range bytes.SplitSeq(out, []byte{0}) {
		if len(rec) == 0 {
			continue
		}
		// <mode> <object> <stage>\t<path>
		meta, name, ok := strings.Cut(string(rec), "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 3 {
			return nil, fmt.Errorf("git ls-files: unexpected line %q", rec)
		}
		if fields[0] != "100644" && fields[0] != "100755" {
			continue
		}
		if fields[2] != "0" && slices.ContainsFunc(entries, func(e entry) bool { return e.path == name }) {
			continue // another stage of a file in conflict
		}
		entries = append(entries, entry{mode: fields[0], object: fields[1], path: name})
	}
	return entries, nil
}

// headSize is how much of each file the executable check reads.
const headSize = 512

// readBlobs calls fn with the size and first headSize bytes of every entry's blob, read with one
// git cat-file --batch.
func readBlobs(ctx context.Context, dir string, entries []entry, fn func(e entry, size int64, head []byte)) error {
	cmd := exec.CommandContext(ctx, "git", "cat-file", "--batch")
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	var in bytes.Buffer
	for _, e := range entries {
		in.WriteString(e.object + "\n")
	}
	cmd.Stdin = &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	r := bufio.NewReader(stdout)
	readErr := func() error {
		for _, e := range entries {
			// <object> blob <size>\n<content>\n
			line, err := r.ReadString('\n')
			if err != nil {
				return fmt.Errorf("git cat-file: reading %s: %w", e.path, err)
			}
			fields := strings.Fields(line)
			if len(fields) != 3 || fields[1] != "blob" {
				return fmt.Errorf("git cat-file: %s: unexpected header %q", e.path, strings.TrimSpace(line))
			}
			size, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil {
				return fmt.Errorf("git cat-file: %s: bad size %q", e.path, fields[2])
			}
			head := make([]byte, min(size, headSize))
			if _, err := io.ReadFull(r, head); err != nil {
				return fmt.Errorf("git cat-file: %s: %w", e.path, err)
			}
			if _, err := r.Discard(int(size-int64(len(head))) + 1); err != nil { // the rest and the newline
				return fmt.Errorf("git cat-file: %s: %w", e.path, err)
			}
			fn(e, size, head)
		}
		return nil
	}()
	waitErr := cmd.Wait()
	if readErr != nil {
		return readErr
	}
	if waitErr != nil {
		return fmt.Errorf("git cat-file: %w: %s", waitErr, bytes.TrimSpace(stderr.Bytes()))
	}
	return nil
}

// executable names the kind of executable binary head starts, or returns "" for any other file.
// A file of mode 100755 counts as one when it is not text (it has a NUL byte).
func executable(mode string, head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return "ELF"
	case len(head) >= 4 && slices.Contains([]uint32{0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe}, binary.BigEndian.Uint32(head)):
		return "Mach-O"
	case isPE(head):
		return "PE"
	case bytes.HasPrefix(head, []byte("\x00asm")):
		return "WebAssembly"
	case bytes.HasPrefix(head, []byte("!<arch>\n")):
		return "ar archive"
	case mode == "100755" && bytes.IndexByte(head, 0) >= 0:
		return "executable bit, not text"
	}
	return ""
}

// isPE reports whether head starts a PE (Windows) executable: MZ, and the offset at 0x3c pointing
// at "PE\0\0" within head.
func isPE(head []byte) bool {
	if !bytes.HasPrefix(head, []byte("MZ")) || len(head) < 0x40 {
		return false
	}
	off := int(binary.LittleEndian.Uint32(head[0x3c:]))
	return off+4 <= len(head) && string(head[off:off+4]) == "PE\x00\x00"
}

// inTestdata reports whether name is inside a directory named testdata.
func inTestdata(name string) bool {
	for dir := path.Dir(name); dir != "." && dir != "/"; dir = path.Dir(dir) {
		if path.Base(dir) == "testdata" {
			return true
		}
	}
	return false
}
