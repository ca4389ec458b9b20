package silenceper

import (
	"fmt"
	"testing"
	"time"

	"github.com/silenceper/wechat/v2/credential"
)

// ForceToken puts token in the client's cache, as if the SDK had fetched it.
func ForceToken(t *testing.T, c *Client, token string) {
	t.Helper()
	key := fmt.Sprintf("%s_stable_access_token_%s", credential.CacheKeyMiniProgramPrefix, c.appID)
	if !c.stable {
		key = fmt.Sprintf("%s_access_token_%s", credential.CacheKeyMiniProgramPrefix, c.appID)
	}
	if err := c.cache.Set(key, token, time.Hour); err != nil {
		t.Fatal(err)
	}
}
