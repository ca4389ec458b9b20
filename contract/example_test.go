package contract_test

import (
	"context"
	"fmt"
	"io"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/mock"
)

// Run the suite's @live scenarios against the fake, in-process, and read
// how it went.
func ExampleRun() {
	ctx := context.Background()
	fake, err := mock.New()
	if err != nil {
		panic(err)
	}
	target, err := contract.HandlerTarget(ctx, fake, nil)
	if err != nil {
		panic(err)
	}
	res, err := contract.Run(ctx, contract.Options{Target: target, Tags: "@live", Format: "junit", Output: io.Discard})
	if err != nil {
		panic(err)
	}
	fmt.Printf("failed %d, skipped %d, passed (strict) %v\n", len(res.Failed), len(res.Skipped), res.Passed(true))
	// Output: failed 0, skipped 0, passed (strict) true
}
