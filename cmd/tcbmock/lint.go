package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/mock"
)

func lintFlags(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	var f filesFlags
	f.register(fs)
	return func(ctx context.Context, stdout, _ io.Writer) error {
		if err := f.check("lint"); err != nil {
			return err
		}
		c, err := mock.Load(ctx, f.files())
		if err != nil {
			printProblems(stdout, err)
			return errFailed
		}
		for _, w := range c.Warnings {
			fmt.Fprintln(stdout, w)
		}
		if len(c.Warnings) > 0 {
			return errFailed
		}
		return nil
	}
}

// printProblems prints each problem of a configuration on its own line.
func printProblems(w io.Writer, err error) {
	var list tcbmock.FileErrors
	if !errors.As(err, &list) {
		list = tcbmock.FileErrors{err}
	}
	for _, e := range list {
		fmt.Fprintln(w, e)
	}
}
