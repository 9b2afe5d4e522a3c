//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package main

import "os"

// termWidth reports whether f is a character device, as terminals are; the width is unknown.
func termWidth(f *os.File) (int, bool) {
	fi, err := f.Stat()
	if err != nil {
		return 0, false
	}
	return 0, fi.Mode()&os.ModeCharDevice != 0
}
