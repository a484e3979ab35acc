package auth

import "errors"

var (
	ErrSecretTooShort   = errors.New("invalid secret: expected at least 32 characters")
	ErrTokenExpired     = errors.New("token expired, request a new one with the refresh token")
	ErrPasswordRequired = errors.New("password is required for basic authentication")
)
