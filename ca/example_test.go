package ca_test

import (
	"fmt"
	"os"

	"github.com/tcbmock/tcbmock/ca"
)

// The first leaf makes the authority; a client trusts DIR/ca.pem.
func ExampleCA_Leaf() {
	dir, err := os.MkdirTemp("", "tcbmock-ca")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	authority := ca.New(dir)
	leaf, err := authority.Leaf("api.weixin.qq.com")
	if err != nil {
		panic(err)
	}
	fmt.Println(leaf.Leaf.DNSNames, "signed by", leaf.Leaf.Issuer.CommonName)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fmt.Println(e.Name())
	}
	// Output:
	// [api.weixin.qq.com] signed by tcbmock local CA
	// ca-key.pem
	// ca.pem
}
