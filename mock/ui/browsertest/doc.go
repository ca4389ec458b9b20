// Package browsertest tests the fake's admin page (package ui) in a real
// browser: headless Chromium, driven from Go tests with chromedp, against
// a fake on a free 127.0.0.1 port that the tests call as a client would.
//
// The tests need a chromium (or chrome) on the PATH, or the one named by
// $TCBMOCK_CHROMIUM. Without one they skip and say so, unless
// $TCBMOCK_BROWSER_TESTS is "require", as CI sets it: then they fail.
// The package's tests share one browser, which TestMain starts; each test
// has a tab in a browser context of its own (its own storage and cookies).
// The browser runs with a fresh profile and every background service off,
// and resolves no host but 127.0.0.1, so that it sends nothing anywhere
// else.
package browsertest
