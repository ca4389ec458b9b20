package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/tcbmock/tcbmock/internal/suggest"
)

const usage = `tcbmock: a fake WeChat Cloud Base getenvinfo server, and its conformance suite.

Usage:
  tcbmock serve [flags]   serve the fake api.weixin.qq.com
  tcbmock check [flags]   run the conformance suite against a target
  tcbmock lint [flags]    check the spec and the scenario files
  tcbmock proxy [flags]   forward to api.weixin.qq.com and check every answer against the spec
  tcbmock ca [flags]      print the local CA's certificate file and fingerprint
  tcbmock version         print the version
  tcbmock help [command]  show help

Run "tcbmock COMMAND -h" for a command's flags.
`

// exitError is an error that carries the exit status it ends the command
// with; main prints its message, unless it is empty because the command
// already said why.
type exitError struct {
	code int
	msg  string
}

var _ error = (*exitError)(nil)

func (e *exitError) Error() string { return e.msg }

// ExitCode is the status the command exits with.
func (e *exitError) ExitCode() int { return e.code }

// failure is the exit status of a command that did its work and found
// something wrong: a deviation, a problem in a file.
const failure = 1

// misuse is the exit status of a command that could not do its work: a bad
// command line, or a configuration that cannot run.
const misuse = 2

// errFailed is a failure already reported on its way out: nothing more is said.
var errFailed = &exitError{code: failure}

// misused is a command line or configuration that cannot run: exit status 2.
func misused(msg string) error { return &exitError{code: misuse, msg: msg} }

// exitCode is the status err ends the command with: its own, or 1.
func exitCode(err error) int {
	var ec interface{ ExitCode() int }
	if errors.As(err, &ec) {
		return ec.ExitCode()
	}
	return failure
}

// command is one subcommand: its flags and what it does with them.
type command struct {
	name, summary string
	flags         func(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", serveSummary + boundsHelp(true), serveFlags},
		{"check", checkSummary, checkFlags},
		{"ca", "Print the path of the local certificate authority's certificate (the file a client trusts) and its SHA-256 fingerprint, making the authority if there is none.", caFlags},
		{"lint", "Check the spec and every scenario file against each other; print file:line: what is wrong, one per problem, and exit 1, or exit 0 silently.", lintFlags},
		{"proxy", "Forward the WeChat API to one upstream (production, or a fake) and check every answer against the spec: violations in the X-Tcbmock-Violations header, the journal (GET /__tcbmock/requests?violations=1) and a summary on shutdown; --record DIR writes what the answers reveal as scenarios serve replays." + boundsHelp(false), proxyFlags},
	}
}

// run runs the command line args.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return misused("tcbmock: no command given")
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		return help(rest, stdout)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, version())
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, rest, stdout, stderr)
		}
	}
	fmt.Fprint(stderr, usage)
	return misused(fmt.Sprintf("tcbmock: unknown command %q%s", name, suggest.DidYouMean(name, commandNames())))
}

// commandNames are the commands run knows, for a suggestion.
func commandNames() []string {
	names := []string{"help", "version"}
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return names
}

func (c command) flagSet(out io.Writer) (*flag.FlagSet, func(ctx context.Context, stdout, stderr io.Writer) error) {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(out)
	do := c.flags(fs)
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: tcbmock %s [flags]\n\n%s\n\nFlags:\n", c.name, c.summary)
		fs.PrintDefaults()
	}
	return fs, do
}

func (c command) run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, do := c.flagSet(io.Discard) // a bad flag is said once, below
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs, _ := c.flagSet(stdout)
			fs.Usage()
			return nil
		}
		return misused(fmt.Sprintf("tcbmock %s: %v (tcbmock %s -h lists the flags)", c.name, err, c.name))
	}
	if fs.NArg() > 0 {
		return misused(fmt.Sprintf("tcbmock %s: unexpected arguments: %s", c.name, strings.Join(fs.Args(), " ")))
	}
	return do(ctx, stdout, stderr)
}

func help(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			fs, _ := c.flagSet(stdout)
			fs.Usage()
			return nil
		}
	}
	return misused(fmt.Sprintf("tcbmock help: unknown command %q%s", args[0], suggest.DidYouMean(args[0], commandNames())))
}

// version says which tcbmock this is, from what the Go toolchain recorded
// in the binary: the module's version (a tag such as v0.3.0 for a build at
// that tag, a pseudo-version between tags), the commit and its time, and the
// Go release. A build that recorded no version control (GOFLAGS has
// -buildvcs=false, or the source is not a git checkout) gets a second line
// saying so and how to build one that does.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "tcbmock (no build information)\n" + unstamped
	}
	return describeBuild(info)
}

// unstamped explains a version of "(devel)" with no commit.
const unstamped = "This build recorded no version: build in a git checkout with go build -buildvcs=true ./cmd/tcbmock, or use a release archive (.ci/release)."

// describeBuild is version's text for one build's information.
func describeBuild(info *debug.BuildInfo) string {
	var commit, when string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			commit = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	v := "tcbmock " + info.Main.Version
	if commit == "" {
		if info.Main.Version == "" || info.Main.Version == "(devel)" {
			return fmt.Sprintf("tcbmock (devel) %s\n%s", info.GoVersion, unstamped)
		}
		return v + " " + info.GoVersion
	}
	details := []string{"commit " + commit[:min(12, len(commit))]}
	if modified {
		details = append(details, "modified")
	}
	if when != "" {
		details = append(details, when)
	}
	return fmt.Sprintf("%s (%s) %s", v, strings.Join(details, ", "), info.GoVersion)
}

// newLogger logs to stderr, and at the debug level (every request) if verbose.
func newLogger(stderr io.Writer, verbose bool) *slog.Logger {
	level := slog.LevelInfo
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
}
