package carrierapi

import (
	"encoding/json"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/pkg/market"
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

// Listing is a listing record in the API (GET /v1/listings/{provider}, and
// the items of GET /v1/listings); prices, rates and costs are decimal
// strings of token base units.
type Listing struct {
	Provider string `json:"provider"`
	// Owner is the organization wallet the listing names as the
	// provider's owner in the Registry (the payee of its orders).
	Owner      string            `json:"owner"`
	Org        string            `json:"org"`
	GatewayURL string            `json:"gatewayUrl,omitempty"`
	Total      market.Resources  `json:"total"`
	Free       market.Resources  `json:"free"`
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

// Query parameters of GET /v1/listings; the CLI's flags of `carrier
// listings search` have the same names.
const (
	ParamCPU      = "cpu-millis"
	ParamMemory   = "memory"
	ParamStorage  = "storage"
	ParamGPUs     = "gpus"
	ParamGPUModel = "gpu-model"
	ParamRegion   = "region"
	ParamLabel    = "label"
	ParamMaxPrice = "max-price"
	ParamDuration = "duration"
	ParamSort     = "sort"
	ParamOffset   = "offset"
	ParamLimit    = "limit"
)

// PublishRequest is the body of POST /v1/listings: a signed listing record
// and, optionally, its provider's signed withdrawal (a tombstone with a
// higher sequence number) for the carrier to publish when the provider's
// gateway leaves. Each is hex (0x optional) or standard base64.
type PublishRequest struct {
	Record     string `json:"record"`
	Withdrawal string `json:"withdrawal,omitempty"`
}

// PublishResult is the answer of POST and DELETE /v1/listings.
type PublishResult struct {
	Provider   string `json:"provider"`
	Seq        uint64 `json:"seq"`
	Hash       string `json:"hash"`
	Tombstone  bool   `json:"tombstone,omitempty"`
	Stored     bool   `json:"stored"`
	TopicPeers int    `json:"topicPeers"`
}

// ProviderInfo is one item of GET /v1/providers (and the answer of POST
// /v1/providers/{provider}/register): a provider of the organization, from
// Consul and the chain.
type ProviderInfo struct {
	Provider common.Address `json:"provider"`
	// State is "registered", "outdated", "unregistered", "pending",
	// "taken" or "deregistered".
	State string `json:"state"`
	// Gateways is the number of healthy gateway instances in Consul.
	Gateways int `json:"gateways"`
	// URL is the gateway URL registered (or to be registered).
	URL     string          `json:"url"`
	Owner   *common.Address `json:"owner,omitempty"`
	OnChain *ProviderRecord `json:"onChain,omitempty"`
	// Intent is the registrar's latest transaction intent for the
	// provider, as GET /v1/txs/{key} shows it.
	Intent  json.RawMessage `json:"intent,omitempty"`
	Problem string          `json:"problem,omitempty"`
}

// ProofAccepted answers POST /v1/providers/{provider}/proof: the
// registration proof (a regproof.Signed in the body) is kept for the
// registrar.
type ProofAccepted struct {
	Provider common.Address `json:"provider"`
	Owner    common.Address `json:"owner"`
	// Nonce is the proof's nonce (decimal), the Registry's current one.
	Nonce    string `json:"nonce"`
	Deadline uint64 `json:"deadline"`
}

// TransferRequest is the body of POST /v1/providers/{provider}/transfer:
// the new owner and the provider key's proof naming it (a regproof.Signed,
// as `gateway keys prove --owner <to>` prints it).
type TransferRequest struct {
	To    common.Address  `json:"to"`
	Proof json.RawMessage `json:"proof"`
}

// ProviderRecord is a provider's Registry record.
type ProviderRecord struct {
	URL      string           `json:"url"`
	Region   string           `json:"region"`
	Capacity market.Resources `json:"capacity"`
	Prices   market.Prices    `json:"prices"`
}

// AmountRequest is the body of POST /v1/credits/deposit and /withdraw.
type AmountRequest struct {
	// Amount in token base units.
	Amount *Amount `json:"amount"`
	// Operation makes the call idempotent; empty makes an id.
	Operation string `json:"operation,omitempty"`
}

// MatchRequest is the body of POST /v1/match.
type MatchRequest struct {
	Resources market.Resources `json:"resources"`
	// Duration in seconds.
	Duration uint64            `json:"duration"`
	Labels   map[string]string `json:"labels,omitempty"`
	Region   string            `json:"region,omitempty"`
	// MaxPrice bounds the cost over Duration, in token base units.
	MaxPrice *Amount `json:"maxPrice,omitempty"`
	Limit    int     `json:"limit,omitempty"`
}

// OrderRequest is the body of POST /v1/orders.
type OrderRequest struct {
	Operation   string            `json:"operation,omitempty"`
	Resources   market.Resources  `json:"resources"`
	Duration    uint64            `json:"duration"`
	Labels      map[string]string `json:"labels,omitempty"`
	Region      string            `json:"region,omitempty"`
	MaxPrice    *Amount           `json:"maxPrice,omitempty"`
	ManifestURL string            `json:"manifestUrl"`
	// Provider is the chosen provider; empty takes the best candidate.
	Provider *common.Address `json:"provider,omitempty"`
}

// OrderInfo is an order of the organization, as buyer or as payee, in GET
// /v1/orders, GET /v1/orders/{id} and the answer of POST /v1/orders: the
// order as the Market holds it and what the carrier learned of its life.
// Ids are uint64, times unix seconds, amounts decimal strings of token
// base units; Closed is "", "cancelled", "settled" or "closed" as last
// seen on chain. The carrier keeps its orders in this form in its state
// file too.
type OrderInfo struct {
	ID        uint64           `json:"id"`
	Buyer     common.Address   `json:"buyer"`
	Provider  common.Address   `json:"provider"`
	Payee     common.Address   `json:"payee"`
	Resources market.Resources `json:"resources"`
	// Escrow is the order's whole escrow, extensions included.
	Escrow *Amount `json:"escrow"`
	// MaxEscrow is the most the buyer allowed the order to cost when this
	// carrier placed it (the Market refuses the order above it); unset for
	// orders placed elsewhere and for the seller.
	MaxEscrow    *Amount     `json:"maxEscrow,omitempty"`
	ManifestHash common.Hash `json:"manifestHash"`
	Start        uint64      `json:"start"`
	End          uint64      `json:"end"`
	Closed       string      `json:"closed,omitempty"`
	// Paid went to the payee, Refund back to the buyer, once closed.
	Paid   *Amount `json:"paid,omitempty"`
	Refund *Amount `json:"refund,omitempty"`
	// CreatedTx placed the order; ClosedTx cancelled, settled or closed
	// it.
	CreatedTx common.Hash `json:"createdTx"`
	ClosedTx  common.Hash `json:"closedTx,omitzero"`
	// Extensions counts the buyer's extensions (OrderExtended events);
	// ManifestUpdates the buyer's manifest updates (ManifestUpdated).
	Extensions      int `json:"extensions,omitempty"`
	ManifestUpdates int `json:"manifestUpdates,omitempty"`
	// Batch is the last settlement batch that included the order.
	Batch uint64 `json:"batch,omitempty"`
	// Role is "buyer", "seller" or "buyer+seller": the organization's part
	// in the order.
	Role string `json:"role,omitempty"`
	// State is "active", "ended", "cancelled", "settled" or "closed" at
	// the chain's time.
	State string `json:"state,omitempty"`
}

// Order roles and states of OrderInfo.
const (
	RoleBuyer       = "buyer"
	RoleSeller      = "seller"
	RoleBuyerSeller = "buyer+seller"

	OrderActive    = "active"    // open, before its end
	OrderEnded     = "ended"     // open, past its end: to be settled
	OrderCancelled = "cancelled" // closed by the buyer; paid for the time used
	OrderSettled   = "settled"   // closed after its end; paid in full
	OrderClosed    = "closed"    // closed by the payee before its end; paid for the time served
)

// ExtendRequest is the body of POST /v1/orders/{id}/extend.
type ExtendRequest struct {
	// Duration is the seconds added to the order's end.
	Duration uint64 `json:"duration"`
	// Operation makes the call idempotent; empty makes an id.
	Operation string `json:"operation,omitempty"`
}

// ManifestRequest is the body of POST /v1/orders/{id}/manifest.
type ManifestRequest struct {
	ManifestURL string `json:"manifestUrl"`
	// Operation makes the call idempotent; empty makes an id.
	Operation string `json:"operation,omitempty"`
}

// Session is a session at a provider's gateway for one order.
type Session struct {
	OrderID   string    `json:"orderId"`
	Token     string    `json:"token"`
	TokenType string    `json:"tokenType"`
	Expires   time.Time `json:"expires"`
	// Buyer is the address that signed in (the org wallet).
	Buyer common.Address `json:"buyer"`
	// GatewayBase is the gateway's URL the session was opened at: its API
	// is under GatewayBase/v1/.
	GatewayBase string `json:"gatewayBase"`
	// App is the order's app: GatewayBase/app/<order>/.
	App string `json:"app"`
	// CookieURL is where a browser trades the token for the session
	// cookie (POST, form fields token and next).
	CookieURL string `json:"cookieUrl"`
}

// GatewaySession is the answer of POST /v1/orders/{id}/gateway-session: a
// session at the order's gateway, logged in with the org wallet. Its token
// is a secret.
type GatewaySession struct {
	Session
	// Provider is the order's provider.
	Provider common.Address `json:"provider"`
	// Source says where the gateway URL came from: "directory" (the
	// provider's signed listing) or "registry".
	Source string `json:"source"`
}

// Rollout is how an updated manifest reached the order's gateway: the
// carrier logs the org wallet in there and deploys the manifest by URL,
// as the buyer's first deploy does. Error says why it did not (the update
// is on chain all the same; deploy again through a gateway session).
type Rollout struct {
	// GatewayBase is the gateway the manifest went to.
	GatewayBase string `json:"gatewayBase,omitempty"`
	// Namespace, Phase and Message are the gateway's view of the
	// deployment after the update.
	Namespace string `json:"namespace,omitempty"`
	Phase     string `json:"phase,omitempty"`
	Message   string `json:"message,omitempty"`
	Error     string `json:"error,omitempty"`
}
