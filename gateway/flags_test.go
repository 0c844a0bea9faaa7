package gateway

import (
	"reflect"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/gateway/internal/deploy"
)

// parseDeploy runs the deployer's flags over args and returns its
// configuration.
func parseDeploy(t *testing.T, args ...string) deploy.Config {
	t.Helper()
	var cfg deploy.Config
	app := &cli.App{Flags: deployFlags(), Action: func(c *cli.Context) error { cfg = deployConfigFromCLI(c); return nil }}
	if err := app.Run(append([]string{"gateway"}, args...)); err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestDeployFlags(t *testing.T) {
	t.Setenv("KUBECONFIG", "")
	if got := parseDeploy(t); !reflect.DeepEqual(got, deploy.Defaults()) {
		t.Errorf("flag defaults %+v differ from deploy.Defaults() %+v", got, deploy.Defaults())
	}
	t.Setenv("KUBECONFIG", "/etc/kube.conf")
	cfg := parseDeploy(t, "--manifest-allow", "10.9.0.0/16, 127.0.0.1", "--ingress-from-cidrs", "192.0.2.0/24", "--default-cpu", "250m")
	if cfg.Kubeconfig != "/etc/kube.conf" || cfg.DefaultCPU != "250m" || len(cfg.IngressCIDRs) != 1 ||
		strings.Join(cfg.ManifestAllow, " ") != "10.9.0.0/16 127.0.0.1" {
		t.Fatalf("parsed %+v", cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("parsed configuration: %v", err)
	}
}
