package deploy

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// parse runs the deployer's flags over args and returns the configuration.
func parse(t *testing.T, args ...string) Config {
	t.Helper()
	var cfg Config
	app := &cli.App{Flags: Flags("gateway"), Action: func(c *cli.Context) error { cfg = ConfigFromCLI(c); return nil }}
	if err := app.Run(append([]string{"gateway"}, args...)); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestConfigFlags(t *testing.T) {
	if got := parse(t); !equalConfig(got, Defaults()) {
		t.Errorf("flag defaults %+v differ from Defaults() %+v", got, Defaults())
	}
	t.Setenv("KUBECONFIG", "/etc/kube.conf")
	cfg := parse(t, "--manifest-allow", "10.9.0.0/16, 127.0.0.1", "--ingress-from-cidrs", "192.0.2.0/24", "--default-cpu", "250m")
	if cfg.Kubeconfig != "/etc/kube.conf" || cfg.DefaultCPU != "250m" || len(cfg.IngressCIDRs) != 1 ||
		strings.Join(cfg.ManifestAllow, " ") != "10.9.0.0/16 127.0.0.1" {
		t.Fatalf("parsed %+v", cfg)
	}
	s, err := cfg.settings()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.fetch.Allow) != 2 || s.fetch.Allow[1] != netip.MustParsePrefix("127.0.0.1/32") {
		t.Errorf("allow-list %v", s.fetch.Allow)
	}
}

func equalConfig(a, b Config) bool {
	return a.KubeQPS == b.KubeQPS && a.KubeBurst == b.KubeBurst && a.FieldManager == b.FieldManager &&
		a.ManifestMaxBytes == b.ManifestMaxBytes && a.ManifestTimeout == b.ManifestTimeout &&
		a.ManifestMaxRedirects == b.ManifestMaxRedirects && len(a.ManifestAllow) == len(b.ManifestAllow) &&
		a.ManifestMaxObjects == b.ManifestMaxObjects && a.IngressNamespaces == b.IngressNamespaces &&
		a.IngressPods == b.IngressPods && len(a.IngressCIDRs) == len(b.IngressCIDRs) && a.DefaultCPU == b.DefaultCPU &&
		a.DefaultMemory == b.DefaultMemory && a.GPUResource == b.GPUResource && a.StorageCapacity == b.StorageCapacity &&
		a.ApplyTimeout == b.ApplyTimeout && a.LogMaxBytes == b.LogMaxBytes
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
		{FlagManifestAllow, func(c *Config) { c.ManifestAllow = []string{"10.0.0.1/8"} }},
		{FlagManifestAllow, func(c *Config) { c.ManifestAllow = []string{"example.com"} }},
		{FlagIngressCIDRs, func(c *Config) { c.IngressCIDRs = []string{"300.0.0.0/8"} }},
		{FlagIngressPods, func(c *Config) { c.IngressPods = "a=b=c" }},
		{FlagIngressNamespaces, func(c *Config) { c.IngressNamespaces, c.IngressPods = "", "" }},
		{FlagDefaultCPU, func(c *Config) { c.DefaultCPU = "lots" }},
		{FlagDefaultMemory, func(c *Config) { c.DefaultMemory = "0" }},
		{FlagGPUResource, func(c *Config) { c.GPUResource = "gpu" }},
		{FlagStorageCapacity, func(c *Config) { c.StorageCapacity = "big" }},
		{FlagManifestMaxBytes, func(c *Config) { c.ManifestMaxBytes = 0 }},
		{FlagManifestTimeout, func(c *Config) { c.ManifestTimeout = 0 }},
		{FlagManifestMaxRedirects, func(c *Config) { c.ManifestMaxRedirects = -1 }},
		{FlagManifestMaxObjects, func(c *Config) { c.ManifestMaxObjects = 0 }},
		{FlagFieldManager, func(c *Config) { c.FieldManager = "" }},
		{FlagKubeQPS, func(c *Config) { c.KubeQPS = 0 }},
		{FlagApplyTimeout, func(c *Config) { c.ApplyTimeout = -1 }},
		{FlagLogMaxBytes, func(c *Config) { c.LogMaxBytes = 0 }},
	} {
		c := Defaults()
		tc.mod(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.flag) {
			t.Errorf("%s: got %v", tc.flag, err)
		}
	}
}
