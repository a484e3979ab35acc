package main

import (
	"fmt"
	"net/http"
	"net/url"
)

const (
	scraperapiKey   = "2caa4979846d3c8d1ae1b15fccb7f7ba"
	scrapingbeeKey  = "83GN4SUPSZO2HESUN9Y1PSCT9V8DJKZNOHOL9ZAOWJMAADBWKI6DXUA6P3ESL2WE7MTAGQQHB8U4U4LL"
	zenrowsAPIKey   = "11f403fb147a49f4e026988432e8417e1c192bc5"
)

func fetch(target string) (*http.Response, error) {
	u := fmt.Sprintf("http://api.scraperapi.com/?api_key=%s&url=%s", scraperapiKey, url.QueryEscape(target))
	return http.Get(u)
}
