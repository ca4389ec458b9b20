package silenceper

// Invoke runs the cloud function name of the environment env with input
// (JSON) through the SDK's tcb.InvokeCloudFunction, and returns what it
// returned.
func (c *Client) Invoke(env, name, input string) (string, error) {
	res, err := c.mp.GetTcb().InvokeCloudFunction(env, name, input)
	if err != nil {
		return "", err
	}
	return res.RespData, nil
}
