package carrierapi

import (
	"encoding/json"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Status is GET /v1/status (and `carrier status`).
type Status struct {
	Org     string `json:"org"`
	Version string `json:"version"`
	// State is "active" (this carrier acts for the organization) or
	// "standby".
	State    string `json:"state"`
	Instance string `json:"instance"`
}

// ChainStatus is GET /v1/chain: the carrier's chain subsystem.
type ChainStatus struct {
	Enabled bool `json:"enabled"`
	// Running: a mediator runs; Problem says why not.
	Running   bool       `json:"running"`
	Problem   string     `json:"problem,omitempty"`
	Account   string     `json:"account,omitempty"`
	ChainID   string     `json:"chainId,omitempty"`
	RPC       string     `json:"rpc,omitempty"`
	Contracts *Contracts `json:"contracts,omitempty"`
	// Registration: providers are registered; Scheduler: a directory is
	// there to match against.
	Registration bool `json:"registration"`
	Scheduler    bool `json:"scheduler"`
}

// Contracts are the addresses a running mediator uses. Their JSON keys are
// the field names, as the carrier has always written them.
type Contracts struct {
	Token, Registry, Market common.Address
}

// Peers is GET /v1/peers (and `carrier peers`).
type Peers struct {
	Self  Self       `json:"self"`
	Peers []PeerInfo `json:"peers"`
	// Listed are the peers that published a listing held now (the
	// carriers of organizations with registered providers); the org's via
	// admits them to its relay with --relay-allow-listed. A carrier
	// without it is older than the field.
	Listed []string `json:"listed"`
}

// Self is the carrier's own peer id and addresses.
type Self struct {
	ID    string   `json:"id"`
	Addrs []string `json:"addrs"`
}

// PeerInfo is one connected peer.
type PeerInfo struct {
	ID        string   `json:"id"`
	Addrs     []string `json:"addrs"`
	Direction string   `json:"direction"`
	// Score is the peer's GossipSub score as the carrier sees it.
	Score     float64 `json:"score"`
	Latency   string  `json:"latency,omitempty"`
	Listings  bool    `json:"listings"`
	Protected bool    `json:"protected"`
}

// ListingResources is a listing's amount of compute in the API.
type ListingResources struct {
	CPUMillis    uint64 `json:"cpuMillis"`
	MemoryBytes  uint64 `json:"memoryBytes"`
	StorageBytes uint64 `json:"storageBytes"`
	GPUs         uint32 `json:"gpus"`
	GPUModel     string `json:"gpuModel,omitempty"`
}

// Listing is a listing record in the API (GET /v1/listings/{provider}, and
// the items of GET /v1/listings); prices, rates and costs are decimal
// strings of token base units.
type Listing struct {
	Provider   string            `json:"provider"`
	Org        string            `json:"org"`
	GatewayURL string            `json:"gatewayUrl,omitempty"`
	Total      ListingResources  `json:"total"`
	Free       ListingResources  `json:"free"`
	Prices     map[string]string `json:"prices"`
	Region     string            `json:"region,omitempty"`
	Labels     map[string]string `json:"labels,omitempty"`
	Seq        uint64            `json:"seq"`
	IssuedAt   time.Time         `json:"issuedAt"`
	Expires    time.Time         `json:"expires"`
	Tombstone  bool              `json:"tombstone,omitempty"`
	Hash       string            `json:"hash"`
	Rate       string            `json:"rate,omitempty"`
	Cost       string            `json:"cost,omitempty"`
	Raw        string            `json:"raw,omitempty"`
}

// SearchResult is GET /v1/listings (and `carrier listings search`).
type SearchResult struct {
	Total    int       `json:"total"`
	Listings []Listing `json:"listings"`
}

// PublishRequest is the body of POST /v1/listings: a signed listing record
// and, optionally, its signed withdrawal, both 0x-hex.
type PublishRequest struct {
	Record     string `json:"record"`
	Withdrawal string `json:"withdrawal,omitempty"`
}

// PublishResult is the answer of POST /v1/listings.
type PublishResult struct {
	Provider   string `json:"provider"`
	Seq        uint64 `json:"seq"`
	Hash       string `json:"hash"`
	Tombstone  bool   `json:"tombstone,omitempty"`
	Stored     bool   `json:"stored"`
	TopicPeers int    `json:"topicPeers"`
}

// ProviderInfo is one item of GET /v1/providers: a provider of the
// organization, as the registrar sees it. OnChain (the provider's Registry
// record) and Intent (the registrar's pending transaction) are passed as
// they came.
type ProviderInfo struct {
	Provider common.Address `json:"provider"`
	State    string         `json:"state"`
	// Gateways is the number of healthy gateway instances in Consul.
	Gateways int `json:"gateways"`
	// URL is the gateway URL registered (or to be registered).
	URL     string          `json:"url"`
	Owner   *common.Address `json:"owner,omitempty"`
	OnChain json.RawMessage `json:"onChain,omitempty"`
	Intent  json.RawMessage `json:"intent,omitempty"`
	Problem string          `json:"problem,omitempty"`
}

// OrderSummary is what every client reads of an order in GET /v1/orders
// and GET /v1/orders/{id}: amounts are decimal strings of token base
// units, times unix seconds. The carrier's answer has more fields
// (resources, manifest hash, transactions…).
type OrderSummary struct {
	ID uint64 `json:"id"`
	// Buyer, Provider and Payee are 0x-hex addresses as the carrier wrote
	// them.
	Buyer    string `json:"buyer"`
	Provider string `json:"provider"`
	Payee    string `json:"payee"`
	Start    int64  `json:"start"`
	End      int64  `json:"end"`
	Escrow   string `json:"escrow"`
	Paid     string `json:"paid,omitempty"`
	Refund   string `json:"refund,omitempty"`
	// Role is "buyer", "seller" or "buyer+seller": the organization's part
	// in the order.
	Role string `json:"role,omitempty"`
	// State is "active", "ended", "cancelled" or "settled".
	State string `json:"state,omitempty"`
}

// Order roles and states of OrderSummary.
const (
	RoleBuyer  = "buyer"
	RoleSeller = "seller"

	OrderActive    = "active"
	OrderEnded     = "ended"
	OrderCancelled = "cancelled"
	OrderSettled   = "settled"
)
