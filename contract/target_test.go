package contract_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tcbmock/tcbmock/contract"
	"github.com/tcbmock/tcbmock/mock"
)

func TestTargetSendsTheAdminTokenWhenItProbes(t *testing.T) {
	m, err := mock.New(mock.WithAdminToken("s3cret-admin"))
	if err != nil {
		t.Fatal(err)
	}
	target, err := contract.HandlerTarget(t.Context(), m, &contract.TargetOptions{AdminToken: "s3cret-admin"})
	if err != nil || !target.Admin {
		t.Fatalf("with the admin token: %v, admin %v; want a fake", err, target != nil && target.Admin)
	}
	for _, token := range []string{"", "wrong-token"} {
		_, err := contract.HandlerTarget(t.Context(), m, &contract.TargetOptions{AdminToken: token})
		if !errors.Is(err, contract.ErrAdminToken) {
			t.Errorf("admin token %q: %v; want ErrAdminToken", token, err)
		}
	}
}

// TestAStepWithNoAnswerYetFails is the regression of a nil dereference:
// short(s.last.body) was called exactly when there was no last answer.
func TestAStepWithNoAnswerYetFails(t *testing.T) {
	target := fakeTarget(t)
	more := fstest.MapFS{"early.feature": {Data: []byte("@mine\nFeature: Early\n  Scenario: A check before any call\n    Then I get a token valid for at least 300 seconds\n")}}
	var out bytes.Buffer
	res, err := contract.Run(t.Context(), contract.Options{Target: target, MoreFeatures: more, Tags: "@mine", Output: &out, Format: "progress"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Passed(false) || !strings.Contains(out.String(), "no answer yet") || strings.Contains(out.String(), "nil pointer") {
		t.Errorf("failed %v; want the step to fail saying there is no answer yet:\n%s", res.Failed, out.String())
	}
}

// TestATokenValidForLongerThanItIsFails: the fake's tokens live 7200
// seconds, so a feature asking for 7200 passes and one asking for 7201
// fails, saying what it received.
func TestATokenValidForLongerThanItIsFails(t *testing.T) {
	target := fakeTarget(t)
	for seconds, pass := range map[string]bool{"7200": true, "7201": false} {
		more := fstest.MapFS{"long.feature": {Data: []byte("@mine\nFeature: Long\n  Scenario: A long token\n    When I get another token from /cgi-bin/token\n    Then I get a token valid for at least " + seconds + " seconds\n")}}
		var out bytes.Buffer
		res, err := contract.Run(t.Context(), contract.Options{Target: target, MoreFeatures: more, Tags: "@mine", Output: &out, Format: "progress"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Passed(true) != pass || !pass && !strings.Contains(out.String(), "expires_in: expected at least 7201") {
			t.Errorf("at least %s seconds: passed %v, want %v:\n%s", seconds, res.Passed(true), pass, out.String())
		}
	}
}

func TestFeaturesWithoutStepsOrUndefinedOnesCannotRun(t *testing.T) {
	target := fakeTarget(t)
	for name, text := range map[string]string{
		"no steps":       "@mine\nFeature: Empty\n  Scenario: Nothing to do\n",
		"undefined step": "@mine\nFeature: Typo\n  Scenario: A typo\n    Given a tokken for the app\n",
	} {
		more := fstest.MapFS{"mine.feature": {Data: []byte(text)}}
		var out bytes.Buffer
		_, err := contract.Run(t.Context(), contract.Options{Target: target, MoreFeatures: more, Tags: "@mine", Output: &out, Format: "progress"})
		if !errors.Is(err, contract.ErrFeatures) {
			t.Errorf("%s: %v; want ErrFeatures: the features are wrong, not the target\n%s", name, err, out.String())
		}
	}
}
