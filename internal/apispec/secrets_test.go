package apispec_test

import (
	"github.com/tcbmock/tcbmock/internal/apispec"
	"slices"
	"testing"
)

func TestSecretsAreTheFieldsMarkedXSecret(t *testing.T) {
	s, err := apispec.Load(t.Context(), "openapi.yaml", []byte(embeddedSpec(t)))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"access_token", "appsecret", "authorizer_access_token", "authorizer_refresh_token", "component_access_token",
		"component_appsecret", "component_verify_ticket", "secret"}
	if got := s.Secrets(); !slices.Equal(got, want) {
		t.Errorf("got %q; want %q", got, want)
	}
}
