package federation

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/carrier/internal/api"
	"github.com/gridnode/gridnode/carrier/internal/bytesize"
	"github.com/gridnode/gridnode/carrier/internal/directory"
	"github.com/gridnode/gridnode/carrier/internal/p2p"
	"github.com/gridnode/gridnode/pkg/listing"
	"github.com/gridnode/gridnode/pkg/market"
)

// Register mounts the subsystem's API routes on mux, each wrapped by srv
// (docs/carrier-api.yaml). Reads of the directory work on a standby too.
func (f *Federation) Register(mux *http.ServeMux, srv *api.Server) {
	mux.Handle("GET /v1/peers", srv.Wrap(f.peers))
	mux.Handle("GET /v1/listings", srv.Wrap(f.search))
	mux.Handle("GET /v1/listings/{provider}", srv.Wrap(f.show))
	mux.Handle("POST /v1/listings", srv.Wrap(f.publish))
	mux.Handle("DELETE /v1/listings/{provider}", srv.Wrap(f.withdraw))
}

// p2pError maps the subsystem's errors to API errors, in one place.
func p2pError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errOff), errors.Is(err, errNotRunning), errors.Is(err, listing.ErrRegistry):
		return api.Unavailable("%v", err)
	case errors.Is(err, p2p.ErrRejected), errors.Is(err, p2p.ErrForeignOrg), errors.Is(err, directory.ErrInvalidQuery):
		return api.BadRequest("%v", err)
	case errors.Is(err, p2p.ErrNoWithdrawal):
		return api.NotFound("%v", err)
	}
	return err
}

// Peers is what GET /v1/peers and `carrier peers` show.
type Peers struct {
	Self  Self           `json:"self"`
	Peers []p2p.PeerInfo `json:"peers"`
	// Listed are the peers that published a listing held now (the
	// carriers of organizations with registered providers); the org's via
	// admits them to its relay with --relay-allow-listed.
	Listed []string `json:"listed"`
}

// Self is this carrier's peer id and addresses.
type Self struct {
	ID    string   `json:"id"`
	Addrs []string `json:"addrs"`
}

func (f *Federation) peers(*http.Request) (any, error) {
	n, err := f.current()
	if err != nil {
		return nil, p2pError(err)
	}
	listed := n.ListingPeers()
	ids := make([]string, len(listed))
	for i, p := range listed {
		ids[i] = p.String()
	}
	return Peers{Self: Self{ID: n.ID().String(), Addrs: n.Addrs()}, Peers: n.Peers(), Listed: ids}, nil
}

// Resources is a listing's amount of compute in the API.
type Resources struct {
	CPUMillis    uint64 `json:"cpuMillis"`
	MemoryBytes  uint64 `json:"memoryBytes"`
	StorageBytes uint64 `json:"storageBytes"`
	GPUs         uint32 `json:"gpus"`
	GPUModel     string `json:"gpuModel,omitempty"`
}

// Listing is a listing record in the API; prices, rates and costs are
// decimal strings of token base units.
type Listing struct {
	Provider   string            `json:"provider"`
	Org        string            `json:"org"`
	GatewayURL string            `json:"gatewayUrl,omitempty"`
	Total      Resources         `json:"total"`
	Free       Resources         `json:"free"`
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

func resources(r market.Resources) Resources {
	return Resources{CPUMillis: r.CPUMillis, MemoryBytes: r.MemoryBytes, StorageBytes: r.StorageBytes, GPUs: r.GPUs, GPUModel: r.GPUModel}
}

func decimal(v *big.Int) string {
	if v == nil {
		return "0"
	}
	return v.String()
}

func listingView(r *listing.Record, hash [32]byte) Listing {
	return Listing{
		Provider: r.Provider.Hex(), Org: r.Org, GatewayURL: r.GatewayURL,
		Total: resources(r.Capacity.Total), Free: resources(r.Capacity.Free),
		Prices: map[string]string{
			"cpuMilli": decimal(r.Prices.CPUMilli), "memoryMiB": decimal(r.Prices.MemoryMiB),
			"storageGiB": decimal(r.Prices.StorageGiB), "gpu": decimal(r.Prices.GPU),
		},
		Region: r.Region, Labels: r.Labels, Seq: r.Seq,
		IssuedAt: time.Unix(r.IssuedAt, 0).UTC(), Expires: time.Unix(r.Expires, 0).UTC(),
		Tombstone: r.Tombstone, Hash: "0x" + hex.EncodeToString(hash[:]),
	}
}

// SearchResult is what GET /v1/listings and `carrier listings search`
// show.
type SearchResult struct {
	Total    int       `json:"total"`
	Listings []Listing `json:"listings"`
}

func (f *Federation) search(r *http.Request) (any, error) {
	if f.dir == nil {
		return nil, p2pError(errOff)
	}
	q, err := parseListingQuery(r.URL.Query())
	if err != nil {
		return nil, api.BadRequest("%v", err)
	}
	res, err := f.dir.Query(q)
	if err != nil {
		return nil, p2pError(err)
	}
	out := SearchResult{Total: res.Total, Listings: make([]Listing, 0, len(res.Listings))}
	for _, m := range res.Listings {
		v := listingView(m.Record, m.Hash)
		v.Rate, v.Cost = decimal(m.Rate), decimal(m.Cost)
		out.Listings = append(out.Listings, v)
	}
	return out, nil
}

// Query parameters of GET /v1/listings; the CLI's flags have the same
// names.
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

// parseListingQuery reads a directory query from URL parameters.
func parseListingQuery(v url.Values) (directory.Query, error) {
	var q directory.Query
	var err error
	uint64Param := func(name string, parse func(string) (uint64, error)) uint64 {
		s := v.Get(name)
		if s == "" || err != nil {
			return 0
		}
		n, perr := parse(s)
		if perr != nil {
			err = errors.New(name + ": " + perr.Error())
		}
		return n
	}
	dec := func(s string) (uint64, error) { return strconv.ParseUint(s, 10, 64) }
	q.Request.CPUMillis = uint64Param(ParamCPU, dec)
	q.Request.MemoryBytes = uint64Param(ParamMemory, bytesize.Parse)
	q.Request.StorageBytes = uint64Param(ParamStorage, bytesize.Parse)
	gpus := uint64Param(ParamGPUs, dec)
	if gpus > 1<<31 {
		return q, errors.New(ParamGPUs + ": too many")
	}
	q.Request.GPUs = uint32(gpus)
	q.Request.GPUModel = v.Get(ParamGPUModel)
	q.Region = v.Get(ParamRegion)
	q.Duration = uint64Param(ParamDuration, func(s string) (uint64, error) {
		if n, err := strconv.ParseUint(s, 10, 64); err == nil {
			return n, nil
		}
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 || d%time.Second != 0 {
			return 0, errors.New("want whole seconds, as 3600 or 1h")
		}
		return uint64(d / time.Second), nil
	})
	if s := v.Get(ParamMaxPrice); s != "" {
		p, ok := new(big.Int).SetString(s, 10)
		if !ok || p.Sign() < 0 {
			return q, errors.New(ParamMaxPrice + ": want a decimal amount of token base units")
		}
		q.MaxPrice = p
	}
	for _, l := range v[ParamLabel] {
		k, val, ok := strings.Cut(l, "=")
		if !ok || k == "" {
			return q, errors.New(ParamLabel + ": want key=value")
		}
		if q.Labels == nil {
			q.Labels = map[string]string{}
		}
		q.Labels[k] = val
	}
	switch v.Get(ParamSort) {
	case "", "price":
		q.Sort = directory.SortByPrice
	case "freshness":
		q.Sort = directory.SortByFreshness
	default:
		return q, errors.New(ParamSort + ": price or freshness")
	}
	page := func(name string) int {
		n := uint64Param(name, dec)
		if n > 1<<31-1 {
			if err == nil {
				err = errors.New(name + ": too large")
			}
			return 0
		}
		return int(n)
	}
	q.Offset = page(ParamOffset)
	q.Limit = page(ParamLimit)
	return q, err
}

func (f *Federation) show(r *http.Request) (any, error) {
	if f.dir == nil {
		return nil, p2pError(errOff)
	}
	p := r.PathValue("provider")
	if !common.IsHexAddress(p) {
		return nil, api.BadRequest("provider %q: not an address", p)
	}
	addr := common.HexToAddress(p)
	rec, ok := f.dir.Get(addr)
	raw, rawOK := f.dir.Raw(addr)
	if !ok || !rawOK {
		return nil, api.NotFound("no listing of %s", addr)
	}
	v := listingView(rec, listing.Hash(raw))
	v.Raw = "0x" + hex.EncodeToString(raw)
	return v, nil
}

// PublishRequest is the body of POST /v1/listings: a signed record and,
// optionally, its provider's signed withdrawal (a tombstone with a higher
// sequence number) for the carrier to publish when the provider's gateway
// leaves. Each is hex (0x optional) or standard base64.
type PublishRequest struct {
	Record     string `json:"record"`
	Withdrawal string `json:"withdrawal,omitempty"`
}

// PublishResult is the answer to POST and DELETE /v1/listings.
type PublishResult struct {
	Provider   string `json:"provider"`
	Seq        uint64 `json:"seq"`
	Hash       string `json:"hash"`
	Tombstone  bool   `json:"tombstone,omitempty"`
	Stored     bool   `json:"stored"`
	TopicPeers int    `json:"topicPeers"`
}

func publishResult(p p2p.Published) PublishResult {
	return PublishResult{Provider: p.Record.Provider.Hex(), Seq: p.Record.Seq, Hash: "0x" + hex.EncodeToString(p.Hash[:]),
		Tombstone: p.Record.Tombstone, Stored: p.Stored, TopicPeers: p.Peers}
}

// decodeRecordBytes reads hex (0x optional) or standard base64.
func decodeRecordBytes(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if h := strings.TrimPrefix(s, "0x"); len(h)%2 == 0 {
		if b, err := hex.DecodeString(h); err == nil {
			return b, nil
		}
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("want hex or base64")
	}
	return b, nil
}

func (f *Federation) publish(r *http.Request) (any, error) {
	var req PublishRequest
	if err := api.DecodeJSON(r, &req); err != nil {
		return nil, err
	}
	n, err := f.current()
	if err != nil {
		return nil, p2pError(err)
	}
	raw, err := decodeRecordBytes(req.Record)
	if err != nil {
		return nil, api.BadRequest("record: %v", err)
	}
	if len(raw) == 0 {
		return nil, api.BadRequest("record: empty; want the signed listing, hex or base64")
	}
	var w []byte
	if req.Withdrawal != "" {
		if w, err = decodeRecordBytes(req.Withdrawal); err != nil {
			return nil, api.BadRequest("withdrawal: %v", err)
		}
		if len(w) == 0 {
			return nil, api.BadRequest("withdrawal: empty; omit it or give the signed tombstone")
		}
	}
	res, err := n.Publish(r.Context(), raw, w)
	if err != nil {
		return nil, p2pError(err)
	}
	return publishResult(res), nil
}

func (f *Federation) withdraw(r *http.Request) (any, error) {
	n, err := f.current()
	if err != nil {
		return nil, p2pError(err)
	}
	p := r.PathValue("provider")
	if !common.IsHexAddress(p) {
		return nil, api.BadRequest("provider %q: not an address", p)
	}
	res, err := n.Withdraw(r.Context(), common.HexToAddress(p))
	if err != nil {
		return nil, p2pError(err)
	}
	return publishResult(res), nil
}
