package chain

import (
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/carrier/internal/mediator"
	"github.com/gridnode/gridnode/pkg/consul"
	"github.com/gridnode/gridnode/pkg/market"
	"github.com/gridnode/gridnode/pkg/wallet"
)

// Config configures the chain subsystem: the org wallet, the chain and
// its contracts, transaction tracking, provider registration, settlement
// and the manifest fetch of orders. The subsystem is off unless Keystore
// is set. Chain RPC and contract addresses left empty are read from the
// organization's settings in Consul KV (gridnode/<org>/settings/, written
// by `carrier settings set`) and followed as they change. Each field is
// the flag of its yaml key.
type Config struct {
	// Keystore is the org wallet (v3 keystore file, mode 0600); empty
	// turns the chain subsystem off.
	Keystore string `yaml:"keystore"`
	// PassphraseFile holds the keystore passphrase; without it the
	// environment variable PassphraseEnv names is read.
	PassphraseFile string `yaml:"passphrase-file"`
	PassphraseEnv  string `yaml:"passphrase-env"`
	// RPC is the chain's JSON-RPC URL; Token, Registry and Market the
	// contract addresses. Empty: from Consul KV.
	RPC      string `yaml:"chain-rpc"`
	Token    string `yaml:"token-address"`
	Registry string `yaml:"registry-address"`
	Market   string `yaml:"market-address"`
	// Confirmations is the depth at which transactions count as confirmed
	// and Market events are applied (reorg safety).
	Confirmations uint64 `yaml:"confirmations"`
	// FromBlock is where the first scan of Market events starts: the
	// Market's deployment block on a public chain.
	FromBlock    uint64        `yaml:"chain-from-block"`
	PollInterval time.Duration `yaml:"chain-poll-interval"`
	// SettleWindow is how long an ended order waits for others to settle
	// in one batch.
	SettleWindow time.Duration `yaml:"settle-window"`
	// Provider is what is registered for each of the org's providers.
	Provider ProviderTerms `yaml:",inline"`
	// Manifest limits the fetch of order manifests.
	ManifestMaxBytes      int64         `yaml:"manifest-max-bytes"`
	ManifestTimeout       time.Duration `yaml:"manifest-timeout"`
	ManifestAllowLoopback bool          `yaml:"manifest-allow-loopback"`
	// GatewayAllowLoopback lets the carrier log in at gateways on
	// loopback addresses for the org's orders (a devnet on one machine).
	GatewayAllowLoopback bool `yaml:"gateway-allow-loopback"`
	// SchedulerListings is a file of signed listing records (hex, one per
	// line) the scheduler reads when the p2p subsystem provides no
	// directory: for a devnet, tests, or a closed group of providers.
	SchedulerListings string `yaml:"scheduler-listings-file"`
}

// ProviderTerms are the Registry metadata of the org's providers.
type ProviderTerms struct {
	// URLBase is the org's public base URL (its via); a provider's
	// gateway URL is URLBase/gw/<provider>. Empty turns registration off.
	URLBase      string `yaml:"provider-url-base"`
	Region       string `yaml:"provider-region"`
	CPUMillis    uint64 `yaml:"provider-cpu-millis"`
	MemoryBytes  uint64 `yaml:"provider-memory"`
	StorageBytes uint64 `yaml:"provider-storage"`
	GPUs         uint32 `yaml:"provider-gpus"`
	GPUModel     string `yaml:"provider-gpu-model"`
	// Unit prices per second in token base units (decimal strings).
	PriceCPUMilli   string `yaml:"price-cpu-milli"`
	PriceMemoryMiB  string `yaml:"price-memory-mib"`
	PriceStorageGiB string `yaml:"price-storage-gib"`
	PriceGPU        string `yaml:"price-gpu"`
}

// maxConfirmations bounds Confirmations.
const maxConfirmations = 1000

// Defaults returns the subsystem's defaults (it is off: no Keystore).
func Defaults() Config {
	return Config{
		PassphraseEnv: wallet.DefaultPassphraseEnv,
		Confirmations: 3,
		PollInterval:  2 * time.Second,
		SettleWindow:  10 * time.Second,
		Provider: ProviderTerms{
			PriceCPUMilli: "0", PriceMemoryMiB: "0", PriceStorageGiB: "0", PriceGPU: "0",
		},
		ManifestMaxBytes: 1 << 20,
		ManifestTimeout:  10 * time.Second,
	}
}

// Enabled reports whether the chain subsystem runs.
func (c Config) Enabled() bool { return c.Keystore != "" }

// Validate reports the first problem with the configuration. It does not
// unlock the wallet: New does, and stops the carrier on a wrong passphrase.
func (c Config) Validate() error {
	if !c.Enabled() {
		return nil
	}
	if c.RPC != "" {
		if err := (consul.Settings{ChainRPC: c.RPC}).Validate(); err != nil {
			return fmt.Errorf("chain-rpc: %w", err)
		}
	}
	for flag, a := range map[string]string{"token-address": c.Token, "registry-address": c.Registry, "market-address": c.Market} {
		if a != "" && !common.IsHexAddress(a) {
			return fmt.Errorf("%s %q: want 0x and 40 hex digits", flag, a)
		}
	}
	switch {
	case c.Confirmations == 0 || c.Confirmations > maxConfirmations:
		return fmt.Errorf("confirmations %d: want 1 to %d", c.Confirmations, maxConfirmations)
	case c.PollInterval <= 0:
		return fmt.Errorf("chain-poll-interval %s: must be positive", c.PollInterval)
	case c.SettleWindow < 0:
		return fmt.Errorf("settle-window %s: must not be negative", c.SettleWindow)
	case c.ManifestMaxBytes <= 0:
		return fmt.Errorf("manifest-max-bytes %d: must be positive", c.ManifestMaxBytes)
	case c.ManifestTimeout <= 0:
		return fmt.Errorf("manifest-timeout %s: must be positive", c.ManifestTimeout)
	}
	if _, err := c.Provider.registration(); err != nil {
		return err
	}
	return nil
}

// registration converts the terms for the mediator.
func (p ProviderTerms) registration() (mediator.Registration, error) {
	r := mediator.Registration{
		GatewayBase: strings.TrimRight(p.URLBase, "/"), Region: p.Region,
		Capacity: market.Resources{CPUMillis: p.CPUMillis, MemoryBytes: p.MemoryBytes, StorageBytes: p.StorageBytes, GPUs: p.GPUs, GPUModel: p.GPUModel},
	}
	if p.URLBase != "" {
		u, err := url.Parse(p.URLBase)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			return r, fmt.Errorf("provider-url-base %q: want an http(s) URL without query", p.URLBase)
		}
		if len(r.GatewayBase)+len("/gw/0x")+40 > 256 {
			return r, errors.New("provider-url-base: too long for the Registry's 256-byte URLs")
		}
	}
	if len(p.Region) > 64 || len(p.GPUModel) > 64 {
		return r, errors.New("provider-region and provider-gpu-model: at most 64 bytes each")
	}
	prices := make([]*big.Int, 4)
	for i, f := range []struct{ flag, v string }{
		{"price-cpu-milli", p.PriceCPUMilli}, {"price-memory-mib", p.PriceMemoryMiB},
		{"price-storage-gib", p.PriceStorageGiB}, {"price-gpu", p.PriceGPU},
	} {
		v := f.v
		if v == "" {
			v = "0"
		}
		n, ok := new(big.Int).SetString(v, 10)
		if !ok || n.Sign() < 0 || n.BitLen() > 128 {
			return r, fmt.Errorf("%s %q: want a non-negative integer of token base units below 2^128", f.flag, f.v)
		}
		prices[i] = n
	}
	r.Prices = market.Prices{CPUMilli: prices[0], MemoryMiB: prices[1], StorageGiB: prices[2], GPU: prices[3]}
	if p.URLBase != "" && prices[0].Sign()+prices[1].Sign()+prices[2].Sign()+prices[3].Sign() == 0 {
		return r, errors.New("provider-url-base is set but every price is zero: the Market refuses orders that cost nothing")
	}
	return r, nil
}
