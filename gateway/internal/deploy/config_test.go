package deploy

import (
	"net/netip"
	"strings"
	"testing"
)

// TestConfigSettings checks that the allow-list takes CIDRs and bare
// addresses (the flags are parsed at the gateway's root: gateway/flags.go).
func TestConfigSettings(t *testing.T) {
	cfg := Defaults()
	cfg.ManifestAllow = []string{"10.9.0.0/16", "127.0.0.1"}
	cfg.IngressCIDRs = []string{"192.0.2.0/24"}
	s, err := cfg.settings()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.fetch.Allow) != 2 || s.fetch.Allow[1] != netip.MustParsePrefix("127.0.0.1/32") {
		t.Errorf("allow-list %v", s.fetch.Allow)
	}
}

// TestConfigValidate: each bad value is refused naming its flag.
func TestConfigValidate(t *testing.T) {
	if err := Defaults().Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	for _, tc := range []struct {
		flag string
		mod  func(*Config)
	}{
		{keyManifestAllow, func(c *Config) { c.ManifestAllow = []string{"10.0.0.1/8"} }},
		{keyManifestAllow, func(c *Config) { c.ManifestAllow = []string{"example.com"} }},
		{keyIngressCIDRs, func(c *Config) { c.IngressCIDRs = []string{"300.0.0.0/8"} }},
		{keyIngressPods, func(c *Config) { c.IngressPods = "a=b=c" }},
		{keyIngressNamespaces, func(c *Config) { c.IngressNamespaces, c.IngressPods = "", "" }},
		{keyDefaultCPU, func(c *Config) { c.DefaultCPU = "lots" }},
		{keyDefaultMemory, func(c *Config) { c.DefaultMemory = "0" }},
		{keyGPUResource, func(c *Config) { c.GPUResource = "gpu" }},
		{keyStorageCapacity, func(c *Config) { c.StorageCapacity = "big" }},
		{keyManifestMaxBytes, func(c *Config) { c.ManifestMaxBytes = 0 }},
		{keyManifestTimeout, func(c *Config) { c.ManifestTimeout = 0 }},
		{keyManifestMaxRedirects, func(c *Config) { c.ManifestMaxRedirects = -1 }},
		{keyManifestMaxObjects, func(c *Config) { c.ManifestMaxObjects = 0 }},
		{keyFieldManager, func(c *Config) { c.FieldManager = "" }},
		{keyKubeQPS, func(c *Config) { c.KubeQPS = 0 }},
		{keyApplyTimeout, func(c *Config) { c.ApplyTimeout = -1 }},
		{keyLogMaxBytes, func(c *Config) { c.LogMaxBytes = 0 }},
	} {
		c := Defaults()
		tc.mod(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.flag) {
			t.Errorf("%s: got %v", tc.flag, err)
		}
	}
}
