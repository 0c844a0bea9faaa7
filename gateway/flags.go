package gateway

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/gridnode/gridnode/gateway/internal/deploy"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/service"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// Flag names.
const (
	FlagKeystore           = wallet.FlagKeystore
	FlagPassphraseFile     = wallet.FlagPassphraseFile
	FlagPassphraseEnv      = wallet.FlagPassphraseEnv
	FlagChainRPC           = "chain-rpc"
	FlagMarketAddress      = "market-address"
	FlagOwner              = "owner"
	FlagOrderCacheTTL      = "order-cache-ttl"
	FlagOrderCacheSize     = "order-cache-size"
	FlagChallengeTTL       = "challenge-ttl"
	FlagChallengeRate      = "challenge-rate"
	FlagSessionTTL         = "session-ttl"
	FlagSessionMaxAge      = "session-max-age"
	FlagSessionKeyFile     = "session-key-file"
	FlagCookieSameSite     = "cookie-samesite"
	FlagTrustedProxies     = "trusted-proxies"
	FlagAppMaxBody         = "app-max-body"
	FlagAppDialTimeout     = "app-dial-timeout"
	FlagAppResponseTimeout = "app-response-timeout"
	FlagAppIdleTimeout     = "app-idle-timeout"
	FlagAppMaxIdlePerHost  = "app-max-idle-conns-per-host"
	FlagAppH2C             = "app-h2c"
	FlagCarrierTokenFile   = "carrier-token-file"
	FlagPublicURL          = "public-url"
	FlagListingLabels      = "listing-labels"
	FlagListingTTL         = "listing-ttl"
	FlagReconcileInterval  = "reconcile-interval"
	FlagReconcileGrace     = "reconcile-grace"
)

// Flag names of the deployer (deploy.Config).
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

// deployFlags are the deployer's flags (--kubeconfig also reads
// KUBECONFIG).
func deployFlags() []cli.Flag {
	d := deploy.Defaults()
	return []cli.Flag{
		&cli.PathFlag{Name: FlagKubeconfig, EnvVars: []string{service.EnvVar("gateway", FlagKubeconfig), "KUBECONFIG"},
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

// deployConfigFromCLI reads the deployer's flags.
func deployConfigFromCLI(c *cli.Context) deploy.Config {
	return deploy.Config{
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

// Flags are the gateway's own flags, beyond the lifecycle's.
func Flags() []cli.Flag {
	d := Defaults()
	flags := append(consul.MemberFlags("gateway"),
		&cli.PathFlag{Name: FlagKeystore, Usage: "provider key keystore `file` (v3 JSON, mode 0600; see `gateway keys`): the provider address is its key's; required"},
		&cli.PathFlag{Name: FlagPassphraseFile, Usage: "`file` (mode 0600) with the keystore passphrase"},
		&cli.StringFlag{Name: FlagPassphraseEnv, Value: d.PassphraseEnv, Usage: "`name` of the environment variable with the passphrase when no passphrase file is given"},
		&cli.StringFlag{Name: FlagChainRPC, Usage: "chain JSON-RPC `URL` orders are read from (default: chain-rpc of the org settings in Consul KV)"},
		&cli.StringFlag{Name: FlagMarketAddress, Usage: "Market contract `address` (default: from Consul KV)"},
		&cli.StringFlag{Name: FlagOwner, Usage: "the organization wallet's `address` (the carrier's: `carrier chain` shows it): the provider's owner, the only payee served and the only owner its registration proofs name; required"},
		&cli.DurationFlag{Name: FlagOrderCacheTTL, Value: d.Chain.OrderCacheTTL, Usage: "how long an order read from the chain is reused; a cancellation is seen at most this late"},
		&cli.IntFlag{Name: FlagOrderCacheSize, Value: d.Chain.OrderCacheSize, Usage: "most orders cached"},
		&cli.DurationFlag{Name: FlagChallengeTTL, Value: d.Auth.ChallengeTTL, Usage: "how long a login challenge may be signed and used (at most 1h)"},
		&cli.IntFlag{Name: FlagChallengeRate, Value: d.Auth.ChallengeRate, Usage: "challenges one order may ask one replica for per minute"},
		&cli.DurationFlag{Name: FlagSessionTTL, Value: d.Auth.SessionTTL, Usage: "life of a session token (renewable; never past the order's end; at most 24h)"},
		&cli.DurationFlag{Name: FlagSessionMaxAge, Value: d.Auth.SessionMaxAge, Usage: "how long renewals may extend a signature login"},
		&cli.PathFlag{Name: FlagSessionKeyFile, Usage: "`file` (mode 0600, 32+ bytes) with the sessions' HMAC key, the same on every replica (default: a key generated once into Consul KV)"},
		&cli.StringFlag{Name: FlagCookieSameSite, Value: d.Auth.CookieSameSite, Usage: "SameSite of the session cookie: lax or strict"},
		&cli.StringSliceFlag{Name: FlagTrustedProxies, Value: cli.NewStringSlice(strings.Join(d.App.TrustedProxies, ",")), Usage: "`CIDR` whose X-Forwarded-Prefix/-Proto/-Host are believed (via's addresses; repeat or comma-separate)"},
		&cli.Int64Flag{Name: FlagAppMaxBody, Value: d.App.MaxBody, Usage: "largest request body sent to an app, in `bytes` (-1: no limit)"},
		&cli.DurationFlag{Name: FlagAppDialTimeout, Value: d.App.DialTimeout, Usage: "time limit of connecting to an app"},
		&cli.DurationFlag{Name: FlagAppResponseTimeout, Value: d.App.ResponseTimeout, Usage: "time limit of an app's response headers"},
		&cli.DurationFlag{Name: FlagAppIdleTimeout, Value: d.App.IdleTimeout, Usage: "how long an idle keep-alive connection to an app is kept"},
		&cli.IntFlag{Name: FlagAppMaxIdlePerHost, Value: d.App.MaxIdleConnsPerHost, Usage: "idle keep-alive connections kept per app"},
		&cli.BoolFlag{Name: FlagAppH2C, Usage: "speak cleartext HTTP/2 to apps (WebSocket upgrades stay on HTTP/1.1)"},
		&cli.PathFlag{Name: FlagCarrierTokenFile, Usage: "`file` (mode 0600) with the carrier API's bearer token; without it no listing is published"},
		&cli.StringFlag{Name: FlagPublicURL, Usage: "the organization's public base `URL` (via's --public-url); the listing's gateway URL is URL/gw/<provider> (default: the URL registered in the Registry)"},
		&cli.StringSliceFlag{Name: FlagListingLabels, Usage: "listing label `key=value` (repeat or comma-separate)"},
		&cli.DurationFlag{Name: FlagListingTTL, Value: d.Listing.TTL, Usage: "validity of a signed listing; it is signed again at half of it and when capacity changes"},
		&cli.DurationFlag{Name: FlagReconcileInterval, Value: d.ReconcileInterval, Usage: "time between passes of the teardown loop (with a cluster)"},
		&cli.DurationFlag{Name: FlagReconcileGrace, Value: d.ReconcileGrace, Usage: "how long past an order's end its namespace is kept"},
	)
	return append(flags, deployFlags()...)
}

// FromCLI reads the configuration from parsed flags.
func FromCLI(c *cli.Context) Config {
	labels, lerr := parseLabels(splitList(c.StringSlice(FlagListingLabels)))
	return Config{
		Config:         service.FromCLI(c),
		Member:         consul.MemberConfigFromCLI(c),
		Keystore:       c.Path(FlagKeystore),
		PassphraseFile: c.Path(FlagPassphraseFile),
		PassphraseEnv:  c.String(FlagPassphraseEnv),
		Chain: ChainConfig{RPC: c.String(FlagChainRPC), Market: c.String(FlagMarketAddress), Owner: c.String(FlagOwner),
			OrderCacheTTL: c.Duration(FlagOrderCacheTTL), OrderCacheSize: c.Int(FlagOrderCacheSize)},
		Auth: AuthConfig{ChallengeTTL: c.Duration(FlagChallengeTTL), ChallengeRate: c.Int(FlagChallengeRate),
			SessionTTL: c.Duration(FlagSessionTTL), SessionMaxAge: c.Duration(FlagSessionMaxAge),
			SessionKeyFile: c.Path(FlagSessionKeyFile), CookieSameSite: c.String(FlagCookieSameSite)},
		App: AppConfig{TrustedProxies: splitList(c.StringSlice(FlagTrustedProxies)), MaxBody: c.Int64(FlagAppMaxBody),
			DialTimeout: c.Duration(FlagAppDialTimeout), ResponseTimeout: c.Duration(FlagAppResponseTimeout),
			IdleTimeout: c.Duration(FlagAppIdleTimeout), MaxIdleConnsPerHost: c.Int(FlagAppMaxIdlePerHost), H2C: c.Bool(FlagAppH2C)},
		Listing: ListingConfig{CarrierTokenFile: c.Path(FlagCarrierTokenFile), PublicURL: c.String(FlagPublicURL),
			Labels: labels, TTL: c.Duration(FlagListingTTL)},
		Deploy:            deployConfigFromCLI(c),
		ReconcileInterval: c.Duration(FlagReconcileInterval),
		ReconcileGrace:    c.Duration(FlagReconcileGrace),
		flagErr:           lerr,
	}
}

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

func parseLabels(in []string) (map[string]string, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(in))
	for _, kv := range in {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%s %q: want key=value", FlagListingLabels, kv)
		}
		out[k] = v
	}
	return out, nil
}
