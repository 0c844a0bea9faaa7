package deploy

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/gridnode/gridnode/pkg/manifest"
)

// Configuration keys of the deployer, named in Validate's errors: each is
// also the field's yaml key and, at the gateway's root, its flag.
const (
	keyKubeconfig           = "kubeconfig"
	keyKubeQPS              = "kube-qps"
	keyKubeBurst            = "kube-burst"
	keyFieldManager         = "field-manager"
	keyManifestMaxBytes     = "manifest-max-bytes"
	keyManifestTimeout      = "manifest-timeout"
	keyManifestMaxRedirects = "manifest-max-redirects"
	keyManifestAllow        = "manifest-allow"
	keyManifestMaxObjects   = "manifest-max-objects"
	keyIngressNamespaces    = "ingress-from-namespaces"
	keyIngressPods          = "ingress-from-pods"
	keyIngressCIDRs         = "ingress-from-cidrs"
	keyDefaultCPU           = "default-cpu"
	keyDefaultMemory        = "default-memory"
	keyGPUResource          = "gpu-resource"
	keyStorageCapacity      = "storage-capacity"
	keyApplyTimeout         = "apply-timeout"
	keyLogMaxBytes          = "log-max-bytes"
)

// Config configures the deployer. Every field is one flag of the gateway
// (gateway/flags.go), one environment variable and one --config key, named
// as the yaml tag.
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
		return s, fmt.Errorf("%s %v: must be positive", keyKubeQPS, c.KubeQPS)
	case c.KubeBurst <= 0:
		return s, fmt.Errorf("%s %d: must be positive", keyKubeBurst, c.KubeBurst)
	case c.FieldManager == "" || len(c.FieldManager) > 128:
		return s, fmt.Errorf("%s %q: want 1-128 characters", keyFieldManager, c.FieldManager)
	case c.ManifestMaxBytes <= 0 || c.ManifestMaxBytes > 64<<20:
		return s, fmt.Errorf("%s %d: want 1 byte to 64 MiB", keyManifestMaxBytes, c.ManifestMaxBytes)
	case c.ManifestTimeout <= 0:
		return s, fmt.Errorf("%s %s: must be positive", keyManifestTimeout, c.ManifestTimeout)
	case c.ManifestMaxRedirects < 0 || c.ManifestMaxRedirects > 20:
		return s, fmt.Errorf("%s %d: want 0-20", keyManifestMaxRedirects, c.ManifestMaxRedirects)
	case c.ManifestMaxObjects <= 0 || c.ManifestMaxObjects > 10000:
		return s, fmt.Errorf("%s %d: want 1-10000", keyManifestMaxObjects, c.ManifestMaxObjects)
	case c.ApplyTimeout <= 0:
		return s, fmt.Errorf("%s %s: must be positive", keyApplyTimeout, c.ApplyTimeout)
	case c.LogMaxBytes <= 0:
		return s, fmt.Errorf("%s %d: must be positive", keyLogMaxBytes, c.LogMaxBytes)
	}
	s.fetch = manifest.Options{MaxBytes: c.ManifestMaxBytes, Timeout: c.ManifestTimeout, MaxRedirects: c.ManifestMaxRedirects}
	for _, a := range c.ManifestAllow {
		p, err := parsePrefix(a)
		if err != nil {
			return s, fmt.Errorf("%s %q: %w", keyManifestAllow, a, err)
		}
		s.fetch.Allow = append(s.fetch.Allow, p)
	}
	var err error
	if s.ingress.namespaces, err = parseSelector(c.IngressNamespaces); err != nil {
		return s, fmt.Errorf("%s %q: %w", keyIngressNamespaces, c.IngressNamespaces, err)
	}
	if s.ingress.pods, err = parseSelector(c.IngressPods); err != nil {
		return s, fmt.Errorf("%s %q: %w", keyIngressPods, c.IngressPods, err)
	}
	for _, a := range c.IngressCIDRs {
		p, err := parsePrefix(a)
		if err != nil {
			return s, fmt.Errorf("%s %q: %w", keyIngressCIDRs, a, err)
		}
		s.ingress.cidrs = append(s.ingress.cidrs, p.String())
	}
	if s.ingress.namespaces == nil && s.ingress.pods == nil && len(s.ingress.cidrs) == 0 {
		return s, fmt.Errorf("%s, %s and %s are all empty: the NetworkPolicy would admit nobody, the gateway included",
			keyIngressNamespaces, keyIngressPods, keyIngressCIDRs)
	}
	defaults := corev1.ResourceList{}
	for _, f := range []struct {
		flag, v string
		name    corev1.ResourceName
	}{{keyDefaultCPU, c.DefaultCPU, corev1.ResourceCPU}, {keyDefaultMemory, c.DefaultMemory, corev1.ResourceMemory}} {
		v, err := resource.ParseQuantity(f.v)
		if err != nil || v.Sign() <= 0 {
			return s, fmt.Errorf("%s %q: want a positive Kubernetes quantity such as 100m or 128Mi", f.flag, f.v)
		}
		defaults[f.name] = v
	}
	if c.GPUResource == "" || !strings.Contains(c.GPUResource, "/") {
		return s, fmt.Errorf("%s %q: want an extended resource name such as nvidia.com/gpu", keyGPUResource, c.GPUResource)
	}
	if c.StorageCapacity != "" {
		v, err := resource.ParseQuantity(c.StorageCapacity)
		if err != nil || v.Sign() < 0 {
			return s, fmt.Errorf("%s %q: want a Kubernetes quantity such as 500Gi", keyStorageCapacity, c.StorageCapacity)
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
