package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/tcbmock/tcbmock/ca"
)

// caFlags is the ca command: it prints the certificate authority's
// certificate file and fingerprint, making the authority if need be.
func caFlags(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	var dir string
	registerCADir(fs, &dir)
	return func(_ context.Context, stdout, stderr io.Writer) error {
		authority := ca.New(dir)
		created, err := authority.Load()
		if err != nil {
			return fmt.Errorf("tcbmock ca: %w", err)
		}
		cert, err := authority.Certificate()
		if err != nil {
			return fmt.Errorf("tcbmock ca: %w", err)
		}
		if created {
			fmt.Fprintf(stderr, "tcbmock ca: made a new certificate authority in %s\n", authority.Dir())
		}
		fmt.Fprintln(stdout, authority.CertPath())
		fmt.Fprintf(stdout, "sha256 Fingerprint=%s\n", ca.Fingerprint(cert))
		return nil
	}
}
