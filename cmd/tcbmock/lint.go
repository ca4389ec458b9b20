package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tcbmock/tcbmock/internal/yamlfile"
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
	var list yamlfile.List
	if !errors.As(err, &list) {
		list = yamlfile.List{err}
	}
	// In the order of the files and their lines, as an editor lists them.
	// A problem of no file comes first.
	at := func(err error) (string, int) {
		var fe *yamlfile.Error
		if errors.As(err, &fe) {
			return fe.File, fe.Line
		}
		return "", 0
	}
	slices.SortStableFunc(list, func(a, b error) int {
		fa, la := at(a)
		fb, lb := at(b)
		return cmp.Or(strings.Compare(fa, fb), cmp.Compare(la, lb))
	})
	for _, e := range list {
		fmt.Fprintln(w, e)
	}
}
