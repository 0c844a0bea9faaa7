package deploy

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/gridnode/gridnode/pkg/manifest"
	"github.com/gridnode/gridnode/pkg/service"
)

// Flag names of the deployer.
const (
	FlagKubeconfig           = "kubeconfig"
	FlagKubeQPS              = "kube-qps"
	FlagKubeBurst            = "kube-burst"
	FlagFieldManager         = "field-manager"
	FlagManifestMaxBytes     = "manifest-max-bytes"
	FlagManifestTimeout      = "manifest-timeout"
	FlagManifestMaxRedirects = "manifest-max-redirects"
	FlagManifestAllow        = "manifest-allow"
	FlagManifestMaxObjects   = "manifest-max-objects"
	FlagIngressNamespaces    = "ingress-from-namespaces"
	FlagIngressPods          = "ingress-from-pods"
	FlagIngressCIDRs         = "ingress-from-cidrs"
	FlagDefaultCPU           = "default-cpu"
	FlagDefaultMemory        = "default-memory"
	FlagGPUResource          = "gpu-resource"
	FlagStorageCapacity      = "storage-capacity"
	FlagApplyTimeout         = "apply-timeout"
	FlagLogMaxBytes          = "log-max-bytes"
)

// Config configures the deployer. Every field is one flag (Flags), one
// environment variable and one --config key, named as the yaml tag.
type Config struct {
	// Kubeconfig is the kubeconfig file; empty means in-cluster
	// configuration (the pod's service account), or $KUBECONFIG.
	Kubeconfig string `yaml:"kubeconfig"`
	// KubeQPS and KubeBurst rate-limit the gateway's API requests.
	KubeQPS   float64 `yaml:"kube-qps"`
	KubeBurst int     `yaml:"kube-burst"`
	// FieldManager names the gateway in server-side apply.
	FieldManager string `yaml:"field-manager"`

	// Manifest fetch limits.
	ManifestMaxBytes     int64         `yaml:"manifest-max-bytes"`
	ManifestTimeout      time.Duration `yaml:"manifest-timeout"`
	ManifestMaxRedirects int           `yaml:"manifest-max-redirects"`
	// ManifestAllow lists CIDR prefixes a manifest URL may resolve into
	// although the SSRF rules refuse them (loopback, private…): the
	// operator's exception, for a manifest server on the provider's own
	// network or a devnet. Keep it narrow.
	ManifestAllow []string `yaml:"manifest-allow"`
	// ManifestMaxObjects bounds the objects in one manifest.
	ManifestMaxObjects int `yaml:"manifest-max-objects"`

	// IngressNamespaces and IngressPods are label selectors
	// ("k=v,k2=v2") of the namespace and the pods the gateway runs in: the
	// order namespace's NetworkPolicy admits traffic from them (both must
	// match when both are set). IngressCIDRs admits traffic from address
	// ranges instead or as well: a gateway on a node, outside the pod
	// network. At least one is required.
	IngressNamespaces string   `yaml:"ingress-from-namespaces"`
	IngressPods       string   `yaml:"ingress-from-pods"`
	IngressCIDRs      []string `yaml:"ingress-from-cidrs"`

	// DefaultCPU and DefaultMemory (Kubernetes quantities) are the request
	// and limit of a container that sets neither; the namespace's
	// LimitRange carries the same values.
	DefaultCPU    string `yaml:"default-cpu"`
	DefaultMemory string `yaml:"default-memory"`
	// GPUResource is the extended resource name of the cluster's GPUs.
	GPUResource string `yaml:"gpu-resource"`
	// StorageCapacity is the storage the provider sells (a quantity);
	// empty counts the nodes' allocatable ephemeral storage.
	StorageCapacity string `yaml:"storage-capacity"`

	// ApplyTimeout bounds the apply of one manifest.
	ApplyTimeout time.Duration `yaml:"apply-timeout"`
	// LogMaxBytes bounds one log request (also a followed stream).
	LogMaxBytes int64 `yaml:"log-max-bytes"`
}

// Defaults returns the deployer's defaults.
func Defaults() Config {
	return Config{
		KubeQPS:              50,
		KubeBurst:            100,
		FieldManager:         "gridnode-gateway",
		ManifestMaxBytes:     1 << 20,
		ManifestTimeout:      10 * time.Second,
		ManifestMaxRedirects: 3,
		ManifestMaxObjects:   100,
		IngressNamespaces:    "kubernetes.io/metadata.name=gridnode-system",
		IngressPods:          "app.kubernetes.io/name=gridnode-gateway",
		DefaultCPU:           "100m",
		DefaultMemory:        "128Mi",
		GPUResource:          "nvidia.com/gpu",
		ApplyTimeout:         time.Minute,
		LogMaxBytes:          10 << 20,
	}
}

// Flags returns the deployer's flags for role (environment variables
// GRIDNODE_<ROLE>_<FLAG>; --kubeconfig also reads KUBECONFIG).
func Flags(role string) []cli.Flag {
	d := Defaults()
	return []cli.Flag{
		&cli.PathFlag{Name: FlagKubeconfig, EnvVars: []string{service.EnvVar(role, FlagKubeconfig), "KUBECONFIG"},
			Usage: "kubeconfig `file` of the provider's cluster (default: in-cluster service account)"},
		&cli.Float64Flag{Name: FlagKubeQPS, Value: d.KubeQPS, Usage: "Kubernetes API requests per second"},
		&cli.IntFlag{Name: FlagKubeBurst, Value: d.KubeBurst, Usage: "Kubernetes API request burst"},
		&cli.StringFlag{Name: FlagFieldManager, Value: d.FieldManager, Usage: "server-side apply field manager `name`"},
		&cli.Int64Flag{Name: FlagManifestMaxBytes, Value: d.ManifestMaxBytes, Usage: "largest manifest fetched, in `bytes`"},
		&cli.DurationFlag{Name: FlagManifestTimeout, Value: d.ManifestTimeout, Usage: "time limit of a manifest fetch, redirects included"},
		&cli.IntFlag{Name: FlagManifestMaxRedirects, Value: d.ManifestMaxRedirects, Usage: "redirects followed when fetching a manifest, each re-checked"},
		&cli.StringSliceFlag{Name: FlagManifestAllow, Usage: "`CIDR` a manifest URL may resolve into although it is loopback, private or link-local (repeat or comma-separate); keep it narrow"},
		&cli.IntFlag{Name: FlagManifestMaxObjects, Value: d.ManifestMaxObjects, Usage: "most objects in one manifest"},
		&cli.StringFlag{Name: FlagIngressNamespaces, Value: d.IngressNamespaces, Usage: "label `selector` of the gateway's namespace, admitted by each order's NetworkPolicy (empty: none)"},
		&cli.StringFlag{Name: FlagIngressPods, Value: d.IngressPods, Usage: "label `selector` of the gateway's pods, admitted by each order's NetworkPolicy (empty: none)"},
		&cli.StringSliceFlag{Name: FlagIngressCIDRs, Usage: "`CIDR` of gateways outside the pod network, admitted by each order's NetworkPolicy"},
		&cli.StringFlag{Name: FlagDefaultCPU, Value: d.DefaultCPU, Usage: "CPU request and limit (`quantity`) of a container that sets neither"},
		&cli.StringFlag{Name: FlagDefaultMemory, Value: d.DefaultMemory, Usage: "memory request and limit (`quantity`) of a container that sets neither"},
		&cli.StringFlag{Name: FlagGPUResource, Value: d.GPUResource, Usage: "extended resource `name` of the cluster's GPUs"},
		&cli.StringFlag{Name: FlagStorageCapacity, Usage: "storage `quantity` the provider sells (default: the nodes' allocatable ephemeral storage)"},
		&cli.DurationFlag{Name: FlagApplyTimeout, Value: d.ApplyTimeout, Usage: "time limit of applying one manifest"},
		&cli.Int64Flag{Name: FlagLogMaxBytes, Value: d.LogMaxBytes, Usage: "most `bytes` of one log request or stream"},
	}
}

// ConfigFromCLI reads the flags Flags returned.
func ConfigFromCLI(c *cli.Context) Config {
	return Config{
		Kubeconfig:           c.Path(FlagKubeconfig),
		KubeQPS:              c.Float64(FlagKubeQPS),
		KubeBurst:            c.Int(FlagKubeBurst),
		FieldManager:         c.String(FlagFieldManager),
		ManifestMaxBytes:     c.Int64(FlagManifestMaxBytes),
		ManifestTimeout:      c.Duration(FlagManifestTimeout),
		ManifestMaxRedirects: c.Int(FlagManifestMaxRedirects),
		ManifestAllow:        splitList(c.StringSlice(FlagManifestAllow)),
		ManifestMaxObjects:   c.Int(FlagManifestMaxObjects),
		IngressNamespaces:    c.String(FlagIngressNamespaces),
		IngressPods:          c.String(FlagIngressPods),
		IngressCIDRs:         splitList(c.StringSlice(FlagIngressCIDRs)),
		DefaultCPU:           c.String(FlagDefaultCPU),
		DefaultMemory:        c.String(FlagDefaultMemory),
		GPUResource:          c.String(FlagGPUResource),
		StorageCapacity:      c.String(FlagStorageCapacity),
		ApplyTimeout:         c.Duration(FlagApplyTimeout),
		LogMaxBytes:          c.Int64(FlagLogMaxBytes),
	}
}

// splitList splits comma-separated entries (an environment variable holds
// one string) and drops empty ones.
func splitList(in []string) []string {
	var out []string
	for _, s := range in {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

// Validate reports the first problem, naming the flag to fix.
func (c Config) Validate() error {
	_, err := c.settings()
	return err
}

// settings is the parsed, checked configuration.
type settings struct {
	fetch   manifest.Options
	policy  Policy
	ingress ingress
	storage *resource.Quantity
}

type ingress struct {
	namespaces, pods *metav1.LabelSelector
	cidrs            []string
}

func (c Config) settings() (settings, error) {
	var s settings
	switch {
	case c.KubeQPS <= 0:
		return s, fmt.Errorf("%s %v: must be positive", FlagKubeQPS, c.KubeQPS)
	case c.KubeBurst <= 0:
		return s, fmt.Errorf("%s %d: must be positive", FlagKubeBurst, c.KubeBurst)
	case c.FieldManager == "" || len(c.FieldManager) > 128:
		return s, fmt.Errorf("%s %q: want 1-128 characters", FlagFieldManager, c.FieldManager)
	case c.ManifestMaxBytes <= 0 || c.ManifestMaxBytes > 64<<20:
		return s, fmt.Errorf("%s %d: want 1 byte to 64 MiB", FlagManifestMaxBytes, c.ManifestMaxBytes)
	case c.ManifestTimeout <= 0:
		return s, fmt.Errorf("%s %s: must be positive", FlagManifestTimeout, c.ManifestTimeout)
	case c.ManifestMaxRedirects < 0 || c.ManifestMaxRedirects > 20:
		return s, fmt.Errorf("%s %d: want 0-20", FlagManifestMaxRedirects, c.ManifestMaxRedirects)
	case c.ManifestMaxObjects <= 0 || c.ManifestMaxObjects > 10000:
		return s, fmt.Errorf("%s %d: want 1-10000", FlagManifestMaxObjects, c.ManifestMaxObjects)
	case c.ApplyTimeout <= 0:
		return s, fmt.Errorf("%s %s: must be positive", FlagApplyTimeout, c.ApplyTimeout)
	case c.LogMaxBytes <= 0:
		return s, fmt.Errorf("%s %d: must be positive", FlagLogMaxBytes, c.LogMaxBytes)
	}
	s.fetch = manifest.Options{MaxBytes: c.ManifestMaxBytes, Timeout: c.ManifestTimeout, MaxRedirects: c.ManifestMaxRedirects}
	for _, a := range c.ManifestAllow {
		p, err := parsePrefix(a)
		if err != nil {
			return s, fmt.Errorf("%s %q: %w", FlagManifestAllow, a, err)
		}
		s.fetch.Allow = append(s.fetch.Allow, p)
	}
	var err error
	if s.ingress.namespaces, err = parseSelector(c.IngressNamespaces); err != nil {
		return s, fmt.Errorf("%s %q: %w", FlagIngressNamespaces, c.IngressNamespaces, err)
	}
	if s.ingress.pods, err = parseSelector(c.IngressPods); err != nil {
		return s, fmt.Errorf("%s %q: %w", FlagIngressPods, c.IngressPods, err)
	}
	for _, a := range c.IngressCIDRs {
		p, err := parsePrefix(a)
		if err != nil {
			return s, fmt.Errorf("%s %q: %w", FlagIngressCIDRs, a, err)
		}
		s.ingress.cidrs = append(s.ingress.cidrs, p.String())
	}
	if s.ingress.namespaces == nil && s.ingress.pods == nil && len(s.ingress.cidrs) == 0 {
		return s, fmt.Errorf("%s, %s and %s are all empty: the NetworkPolicy would admit nobody, the gateway included",
			FlagIngressNamespaces, FlagIngressPods, FlagIngressCIDRs)
	}
	defaults := corev1.ResourceList{}
	for _, f := range []struct {
		flag, v string
		name    corev1.ResourceName
	}{{FlagDefaultCPU, c.DefaultCPU, corev1.ResourceCPU}, {FlagDefaultMemory, c.DefaultMemory, corev1.ResourceMemory}} {
		v, err := resource.ParseQuantity(f.v)
		if err != nil || v.Sign() <= 0 {
			return s, fmt.Errorf("%s %q: want a positive Kubernetes quantity such as 100m or 128Mi", f.flag, f.v)
		}
		defaults[f.name] = v
	}
	if c.GPUResource == "" || !strings.Contains(c.GPUResource, "/") {
		return s, fmt.Errorf("%s %q: want an extended resource name such as nvidia.com/gpu", FlagGPUResource, c.GPUResource)
	}
	if c.StorageCapacity != "" {
		v, err := resource.ParseQuantity(c.StorageCapacity)
		if err != nil || v.Sign() < 0 {
			return s, fmt.Errorf("%s %q: want a Kubernetes quantity such as 500Gi", FlagStorageCapacity, c.StorageCapacity)
		}
		s.storage = &v
	}
	s.policy = Policy{
		MaxObjects:  c.ManifestMaxObjects,
		Defaults:    defaults,
		GPUResource: corev1.ResourceName(c.GPUResource),
	}
	if err := s.fetch.Validate(); err != nil {
		return s, err
	}
	return s, nil
}

func parsePrefix(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		if p.Masked() != p {
			return p, fmt.Errorf("host bits set; did you mean %s?", p.Masked())
		}
		return p, nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, errors.New("want a CIDR prefix such as 10.1.0.0/16 or an address")
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func parseSelector(s string) (*metav1.LabelSelector, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	sel, err := metav1.ParseToLabelSelector(s)
	if err != nil {
		return nil, err
	}
	if _, err := metav1.LabelSelectorAsSelector(sel); err != nil {
		return nil, err
	}
	return sel, nil
}

// RESTConfig returns the Kubernetes client configuration: the kubeconfig
// file if one is set, else the in-cluster service account.
func (c Config) RESTConfig() (*rest.Config, error) {
	var (
		rc  *rest.Config
		err error
	)
	if c.Kubeconfig != "" {
		rc, err = clientcmd.BuildConfigFromFlags("", c.Kubeconfig)
	} else {
		rc, err = rest.InClusterConfig()
	}
	if err != nil {
		return nil, fmt.Errorf("kubernetes client configuration: %w", err)
	}
	rc = rest.CopyConfig(rc)
	rc.QPS, rc.Burst = float32(c.KubeQPS), c.KubeBurst
	rc.UserAgent = c.FieldManager
	return rc, nil
}
