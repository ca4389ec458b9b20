package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

const usage = `tcbmock: a fake WeChat Cloud Base getenvinfo server, and its conformance suite.

Usage:
  tcbmock serve [flags]   serve the fake api.weixin.qq.com
  tcbmock check [flags]   run the conformance suite against a target
  tcbmock lint [flags]    check the spec and the scenario files
  tcbmock proxy [flags]   forward to api.weixin.qq.com and check every answer against the spec
  tcbmock help [command]  show help

Run "tcbmock COMMAND -h" for a command's flags.
`

// usageError is a command line that cannot run: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// failed is an error already reported on its way out: exit status 1, no more said.
var errFailed = errors.New("")

func exitCode(err error) int {
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// command is one subcommand: its flags and what it does with them.
type command struct {
	name, summary string
	flags         func(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "Serve the fake api.weixin.qq.com: the WeChat API and the admin API under /__tcbmock/.", serveFlags},
		{"check", "Run the conformance suite (the feature files) against a target: a running fake, or production. Exit 0 when every scenario that ran passed, 1 on a failure, 2 on a usage or configuration error.", checkFlags},
		{"lint", "Check the spec and every scenario file against each other; print file:line: what is wrong, one per problem, and exit 1, or exit 0 silently.", lintFlags},
		{"proxy", "Forward the WeChat API to one upstream (production, or a fake) and check every answer against the spec: violations in the X-Tcbmock-Violations header, the journal (GET /__tcbmock/requests?violations=1) and a summary on shutdown; --record DIR writes what the answers reveal as scenarios serve replays.", proxyFlags},
	}
}

// run runs the command line args.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return &usageError{"tcbmock: no command given"}
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		return help(rest, stdout)
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, rest, stdout, stderr)
		}
	}
	fmt.Fprint(stderr, usage)
	return &usageError{fmt.Sprintf("tcbmock: unknown command %q", name)}
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
	fs, do := c.flagSet(stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &usageError{fmt.Sprintf("tcbmock %s: %v", c.name, err)}
	}
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("tcbmock %s: unexpected arguments: %s", c.name, strings.Join(fs.Args(), " "))}
	}
	return do(ctx, stdout, stderr)
}

func help(args []string, stdout io.Writer) error {
	if len(args) == 0 {
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
	return &usageError{fmt.Sprintf("tcbmock help: unknown command %q", args[0])}
}
