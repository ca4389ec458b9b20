// Package silenceper is a client of getenvinfo written with the SDK
// github.com/silenceper/wechat/v2, as a project would write it; its tests
// drive the SDK, unmodified but for its base URL, against tcbmock.
package silenceper

import (
	"context"
	"errors"
	"fmt"

	"github.com/silenceper/wechat/v2/cache"
	"github.com/silenceper/wechat/v2/credential"
	"github.com/silenceper/wechat/v2/miniprogram"
	"github.com/silenceper/wechat/v2/miniprogram/config"
	"github.com/silenceper/wechat/v2/util"
)

const getEnvInfoURL = "https://api.weixin.qq.com/tcb/getenvinfo?access_token=%s"

// Env is a Cloud Base environment.
type Env struct {
	Env        string `json:"env"`
	Alias      string `json:"alias"`
	CreateTime string `json:"create_time"`
	UpdateTime string `json:"update_time"`
	Status     string `json:"status"`
}

type envList struct {
	util.CommonError
	InfoList []Env `json:"info_list"`
}

// Client lists a mini program's environments.
type Client struct {
	mp     *miniprogram.MiniProgram
	cache  *cache.Memory
	appID  string
	stable bool
	// Retries is how often a call is tried again after -1 system busy.
	Retries int
}

// New returns a client of the mini program appID; stable chooses
// /cgi-bin/stable_token over /cgi-bin/token.
func New(appID, secret string, stable bool) *Client {
	mem := cache.NewMemory()
	mp := miniprogram.NewMiniProgram(&config.Config{AppID: appID, AppSecret: secret, Cache: mem, UseStableAK: stable})
	return &Client{mp: mp, cache: mem, appID: appID, stable: stable, Retries: 2}
}

// Token returns the SDK's current access token.
func (c *Client) Token(ctx context.Context) (string, error) {
	return c.mp.GetContext().GetAccessTokenContext(ctx)
}

// Envs lists the environments, or only env. A token the server no longer
// takes (40001, 42001) is dropped and fetched again, once; -1 is retried.
func (c *Client) Envs(ctx context.Context, env string) ([]Env, error) {
	var err error
	for attempt := 0; attempt <= c.Retries; attempt++ {
		var envs []Env
		envs, err = c.envs(ctx, env)
		var ce *util.CommonError
		if !errors.As(err, &ce) {
			return envs, err
		}
		switch ce.ErrCode {
		case 40001, 42001:
			c.forgetToken()
			if envs, err = c.envs(ctx, env); err == nil {
				return envs, nil
			}
		case -1:
			continue
		}
		return nil, err
	}
	return nil, err
}

func (c *Client) envs(ctx context.Context, env string) ([]Env, error) {
	token, err := c.Token(ctx)
	if err != nil {
		return nil, err
	}
	body := map[string]string{}
	if env != "" {
		body["env"] = env
	}
	raw, err := util.PostJSONContext(ctx, fmt.Sprintf(getEnvInfoURL, token), body)
	if err != nil {
		return nil, err
	}
	var list envList
	if err := util.DecodeWithError(raw, &list, "getenvinfo"); err != nil {
		return nil, err
	}
	return list.InfoList, nil
}

// forgetToken drops the SDK's cached token, so that the next call gets a new one.
func (c *Client) forgetToken() {
	key := fmt.Sprintf("%s_access_token_%s", credential.CacheKeyMiniProgramPrefix, c.appID)
	if c.stable {
		key = fmt.Sprintf("%s_stable_access_token_%s", credential.CacheKeyMiniProgramPrefix, c.appID)
	}
	_ = c.cache.Delete(key)
}
