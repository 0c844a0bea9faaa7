package chain

import (
	"strings"
	"testing"
)

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(c *Config)
		want   string // "" for valid
	}{
		{name: "off: nothing checked", mutate: func(c *Config) { c.Keystore, c.Confirmations = "", 0 }},
		{name: "defaults", mutate: func(*Config) {}},
		{name: "rpc", mutate: func(c *Config) { c.RPC = "ftp://x" }, want: "chain-rpc: "},
		{name: "address", mutate: func(c *Config) { c.Market = "0x12" }, want: `market-address "0x12": want 0x and 40 hex digits`},
		{name: "confirmations", mutate: func(c *Config) { c.Confirmations = 1001 }, want: "confirmations 1001: want 1 to 1000"},
		{name: "poll", mutate: func(c *Config) { c.PollInterval = 0 }, want: "chain-poll-interval 0s: must be positive"},
		{name: "settle window", mutate: func(c *Config) { c.SettleWindow = -1 }, want: "settle-window -1ns: must not be negative"},
		{name: "manifest size", mutate: func(c *Config) { c.ManifestMaxBytes = 0 }, want: "manifest-max-bytes 0: must be positive"},
		{name: "url base", mutate: func(c *Config) { c.Provider.URLBase = "https://via.example/?q=1" }, want: "provider-url-base"},
		{name: "free registration", mutate: func(c *Config) { c.Provider.URLBase = "https://via.example" }, want: "every price is zero"},
		{name: "priced registration", mutate: func(c *Config) {
			c.Provider.URLBase, c.Provider.PriceCPUMilli = "https://via.example", "5"
		}},
		{name: "price", mutate: func(c *Config) { c.Provider.PriceGPU = "-1" }, want: `price-gpu "-1"`},
		{name: "region", mutate: func(c *Config) { c.Provider.Region = strings.Repeat("r", 65) }, want: "at most 64 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := Defaults()
			c.Keystore = "org.keystore"
			tc.mutate(&c)
			err := c.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("Validate: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("Validate: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
