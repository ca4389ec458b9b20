package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tcbmock/tcbmock"
	"github.com/tcbmock/tcbmock/contract"
)

// checkOptions are check's flags.
type checkOptions struct {
	target, tags, format, out, spec string
	creds                           contract.Credentials
	adminToken                      string
	live, verbose                   bool
}

// credentialFlags are check's credential flags, each with the environment
// variable it falls back to.
func (o *checkOptions) credentialFlags() []credentialFlag {
	c, tp := &o.creds, &o.creds.ThirdParty
	return []credentialFlag{
		{&c.AppID, "appid", "the app's `APPID`, for stable_token"},
		{&c.Secret, "secret", "the app's `SECRET`"},
		{&c.Token, "token", "an access `TOKEN` to use as it is"},
		{&o.adminToken, "admin-token", "the bearer `TOKEN` of a fake served with --admin-token"},
		{&tp.ComponentAppID, "component-appid", "a third-party platform's `APPID`, for the @third-party scenarios"},
		{&tp.ComponentSecret, "component-secret", "the platform's `SECRET`"},
		{&tp.VerifyTicket, "verify-ticket", "the latest component_verify_ticket `TICKET` WeChat pushed to the platform"},
		{&tp.AuthorizerAppID, "authorizer-appid", "the `APPID` of a mini program that granted the platform permission set 49 or 64"},
		{&tp.RefreshToken, "refresh-token", "that mini program's authorizer_refresh_token `TOKEN`"},
	}
}

// credentialFlag is a credential given as a flag or in the environment.
type credentialFlag struct {
	ptr         *string
	name, usage string
}

// env is the flag's environment variable: TCBMOCK_ and its name.
func (f credentialFlag) env() string {
	return "TCBMOCK_" + strings.ToUpper(strings.ReplaceAll(f.name, "-", "_"))
}

func checkFlags(fs *flag.FlagSet) func(ctx context.Context, stdout, stderr io.Writer) error {
	var o checkOptions
	fs.StringVar(&o.target, "target", "", "the `URL` to check: a running fake, or https://api.weixin.qq.com")
	for _, f := range o.credentialFlags() {
		fs.StringVar(f.ptr, f.name, "", f.usage+" (or $"+f.env()+")")
	}
	fs.StringVar(&o.tags, "tags", "", "run only the scenarios whose tags match `EXPR`, such as \"@live\" or \"~@fake\"")
	fs.StringVar(&o.format, "format", "pretty", "the report `FORMAT`: "+strings.Join(contract.Formats, ", "))
	fs.StringVar(&o.out, "out", "", "write the report to `FILE` instead of standard output")
	fs.StringVar(&o.spec, "spec", "", "validate answers against the OpenAPI spec `FILE` (default: the embedded openapi.yaml)")
	fs.BoolVar(&o.live, "live", false, "treat the target as production: never touch its /__tcbmock/ API, run only @live scenarios")
	fs.BoolVar(&o.verbose, "v", false, "list every skipped scenario")
	return func(ctx context.Context, stdout, stderr io.Writer) error {
		for _, f := range o.credentialFlags() {
			*f.ptr = cmp.Or(*f.ptr, os.Getenv(f.env()))
		}
		return o.check(ctx, stdout, stderr)
	}
}

func (o *checkOptions) check(ctx context.Context, stdout, stderr io.Writer) error {
	if o.target == "" {
		return &usageError{"tcbmock check: --target is required, for example --target http://127.0.0.1:8080"}
	}
	spec, err := o.loadSpec(ctx)
	if err != nil {
		printProblems(stderr, err)
		return errFailed
	}
	target, err := contract.NewTarget(ctx, o.target, o.creds, o.live)
	if target != nil {
		target.AdminToken = o.adminToken
	}
	if errors.Is(err, contract.ErrNoCredentials) {
		return &usageError{fmt.Sprintf("tcbmock check: %s is treated as production (--live, or it has no %s API), which needs --appid and --secret (or $TCBMOCK_APPID and $TCBMOCK_SECRET), or --token", o.target, contract.AdminPrefix)}
	}
	if err != nil {
		return &usageError{"tcbmock check: " + err.Error()}
	}
	report := stdout
	if o.out != "" {
		f, err := os.Create(o.out)
		if err != nil {
			return &usageError{"tcbmock check: " + err.Error()}
		}
		defer f.Close()
		report = f
	}
	res, err := contract.Run(ctx, contract.Options{Target: target, Spec: spec, Tags: o.tags, Format: o.format, Output: report})
	if err != nil {
		return &usageError{"tcbmock check: " + err.Error()}
	}
	o.summarize(stderr, target, res)
	if !res.Passed {
		return errFailed
	}
	return nil
}

func (o *checkOptions) loadSpec(ctx context.Context) (*tcbmock.Spec, error) {
	if o.spec == "" {
		return nil, nil // the embedded one
	}
	data, err := os.ReadFile(o.spec)
	if err != nil {
		return nil, &tcbmock.FileError{File: o.spec, Msg: err.Error()}
	}
	return tcbmock.LoadSpec(ctx, o.spec, data)
}

// summarize says on stderr what was skipped and why, and the verdict.
func (o *checkOptions) summarize(w io.Writer, target *contract.Target, res *contract.Result) {
	kind := "a fake (it has the " + contract.AdminPrefix + " API)"
	if !target.Admin {
		kind = "production (no " + contract.AdminPrefix + " API): only @live scenarios run"
	}
	fmt.Fprintf(w, "tcbmock check: %s is %s\n", o.target, kind)
	reasons := map[string]int{}
	var order []string
	for _, s := range res.Skipped {
		if reasons[s.Reason] == 0 {
			order = append(order, s.Reason)
		}
		reasons[s.Reason]++
		if o.verbose {
			fmt.Fprintf(w, "  skipped %s: %s\n", s.Scenario, s.Reason)
		}
	}
	for _, r := range order {
		fmt.Fprintf(w, "tcbmock check: skipped %d scenarios, %s\n", reasons[r], r)
	}
	verdict := "every scenario that ran passed"
	if !res.Passed {
		verdict = "FAILED: the target deviates from openapi.yaml or the features (see the report)"
	}
	fmt.Fprintf(w, "tcbmock check: %s\n", verdict)
}
