package main

import (
	"io"
	"os"
	"strconv"
	"strings"
)

// envForceTTY makes the CLI print for a terminal when its output is piped: tables aligned with a
// header, progress on stderr. A number is the terminal's width.
const envForceTTY = "KICK_FORCE_TTY"

// defaultWidth is the width of a terminal whose width is unknown.
const defaultWidth = 80

// terminal describes an output stream: whether a person reads it, and how wide it is.
type terminal struct {
	tty   bool
	width int
}

// terminalOf describes w: a terminal when it is one (or KICK_FORCE_TTY says so), of the width the
// system reports, else COLUMNS, else 80.
func (a *app) terminalOf(w io.Writer) terminal {
	if force := strings.TrimSpace(a.getenv(envForceTTY)); force != "" && force != "0" && force != "false" {
		if n, err := strconv.Atoi(force); err == nil && n > 0 {
			return terminal{tty: true, width: n}
		}
		return terminal{tty: true, width: a.columns()}
	}
	f, ok := w.(*os.File)
	if !ok {
		return terminal{}
	}
	width, tty := termWidth(f)
	if !tty {
		return terminal{}
	}
	if width <= 0 {
		width = a.columns()
	}
	return terminal{tty: true, width: width}
}

// columns is COLUMNS, else defaultWidth.
func (a *app) columns() int {
	if n, err := strconv.Atoi(a.getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return defaultWidth
}
