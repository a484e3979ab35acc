package auth

type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (c Credentials) Valid() bool {
	return c.Username != "" && len(c.Password) >= 12
}
