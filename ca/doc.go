// Package ca is tcbmock's local certificate authority: the certificates
// that let a client which insists on https://api.weixin.qq.com talk to the
// fake, once it trusts the authority's certificate.
//
// # The authority
//
// [New] names a directory; [CA.Load] reads the authority kept there, or
// makes one (ECDSA P-256, valid ten years) when there is none:
//
//	DIR/ca-key.pem  the private key and the certificate, readable by the owner only
//	DIR/ca.pem      the certificate alone: the file a client trusts
//
// The authority is reused across restarts, so a client configured once
// keeps working. Two processes that make one in the same directory at the
// same time agree on one of them. Its certificate is name-constrained to
// weixin.qq.com, localhost and the loopback addresses: a client that trusts
// it trusts it for nothing else.
//
// # Leaf certificates
//
// [CA.Leaf] issues a certificate for the names asked (valid a day, made on
// demand) and reuses it until the last hour of its life. [CA.ServerConfig]
// is a [tls.Config] that serves such a leaf.
package ca
