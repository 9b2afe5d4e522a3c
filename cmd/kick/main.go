package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := interruptContext()
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// interrupted is the cause of the context of a run that a signal ended.
type interrupted struct{ sig os.Signal }

func (i interrupted) Error() string { return "interrupted by " + i.sig.String() }

// interruptContext is canceled, with an interrupted cause, by the first SIGINT or SIGTERM; a
// second one ends the process at once, as without the CLI's handler.
func interruptContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case s := <-sigs:
			signal.Stop(sigs)
			cancel(interrupted{s})
		case <-done:
		}
	}()
	return ctx, func() {
		close(done)
		signal.Stop(sigs)
		cancel(nil)
	}
}

// run runs the CLI with args and returns the exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := newApp(stdin, stdout, stderr, getenv) //nolint:contextcheck // the commands get ctx from cobra (ExecuteContext), not as a parameter
	a.jsonErrors = wantsJSON(args)
	err := a.execute(ctx, args)
	var sig interrupted
	if errors.As(context.Cause(ctx), &sig) {
		// Ctrl-C: 130, as shells report it, whatever the command made of it. SIGTERM stops a
		// server normally, anything else with 143.
		switch {
		case sig.sig != syscall.SIGTERM:
			return exitInterrupt
		case a.stopOnTerm && err == nil:
			return exitOK
		default:
			return exitTerm
		}
	}
	return a.report(err)
}
