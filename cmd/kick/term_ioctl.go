//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package main

import (
	"os"
	"syscall"
	"unsafe"
)

// termWidth reports whether f is a terminal, and its width in columns (0 when unknown): the
// TIOCGWINSZ ioctl succeeds on terminals only.
func termWidth(f *os.File) (int, bool) {
	var ws struct{ row, col, xpixel, ypixel uint16 }
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), uintptr(syscall.TIOCGWINSZ), uintptr(unsafe.Pointer(&ws))) //nolint:gosec // the ioctl's documented argument
	if errno != 0 {
		return 0, false
	}
	return int(ws.col), true
}
