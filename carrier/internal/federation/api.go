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
	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/listing"
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
	return carrierapi.Peers{Self: carrierapi.Self{ID: n.ID().String(), Addrs: n.Addrs()}, Peers: n.Peers(), Listed: ids}, nil
}

func decimal(v *big.Int) string {
	if v == nil {
		return "0"
	}
	return v.String()
}

func listingView(r *listing.Record, hash [32]byte) carrierapi.Listing {
	return carrierapi.Listing{
		Provider: r.Provider.Hex(), Owner: r.Owner.Hex(), Org: r.Org, GatewayURL: r.GatewayURL,
		Total: r.Capacity.Total, Free: r.Capacity.Free,
		Prices: map[string]string{
			"cpuMilli": decimal(r.Prices.CPUMilli), "memoryMiB": decimal(r.Prices.MemoryMiB),
			"storageGiB": decimal(r.Prices.StorageGiB), "gpu": decimal(r.Prices.GPU),
		},
		Region: r.Region, Labels: r.Labels, Seq: r.Seq,
		IssuedAt: time.Unix(r.IssuedAt, 0).UTC(), Expires: time.Unix(r.Expires, 0).UTC(),
		Tombstone: r.Tombstone, Hash: "0x" + hex.EncodeToString(hash[:]),
	}
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
	out := carrierapi.SearchResult{Total: res.Total, Listings: make([]carrierapi.Listing, 0, len(res.Listings))}
	for _, m := range res.Listings {
		v := listingView(m.Record, m.Hash)
		v.Rate, v.Cost = decimal(m.Rate), decimal(m.Cost)
		out.Listings = append(out.Listings, v)
	}
	return out, nil
}

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
	q.Request.CPUMillis = uint64Param(carrierapi.ParamCPU, dec)
	q.Request.MemoryBytes = uint64Param(carrierapi.ParamMemory, bytesize.Parse)
	q.Request.StorageBytes = uint64Param(carrierapi.ParamStorage, bytesize.Parse)
	gpus := uint64Param(carrierapi.ParamGPUs, dec)
	if gpus > 1<<31 {
		return q, errors.New(carrierapi.ParamGPUs + ": too many")
	}
	q.Request.GPUs = uint32(gpus)
	q.Request.GPUModel = v.Get(carrierapi.ParamGPUModel)
	q.Region = v.Get(carrierapi.ParamRegion)
	q.Duration = uint64Param(carrierapi.ParamDuration, func(s string) (uint64, error) {
		if n, err := strconv.ParseUint(s, 10, 64); err == nil {
			return n, nil
		}
		d, err := time.ParseDuration(s)
		if err != nil || d < 0 || d%time.Second != 0 {
			return 0, errors.New("want whole seconds, as 3600 or 1h")
		}
		return uint64(d / time.Second), nil
	})
	if s := v.Get(carrierapi.ParamMaxPrice); s != "" {
		p, ok := new(big.Int).SetString(s, 10)
		if !ok || p.Sign() < 0 {
			return q, errors.New(carrierapi.ParamMaxPrice + ": want a decimal amount of token base units")
		}
		q.MaxPrice = p
	}
	for _, l := range v[carrierapi.ParamLabel] {
		k, val, ok := strings.Cut(l, "=")
		if !ok || k == "" {
			return q, errors.New(carrierapi.ParamLabel + ": want key=value")
		}
		if q.Labels == nil {
			q.Labels = map[string]string{}
		}
		q.Labels[k] = val
	}
	switch v.Get(carrierapi.ParamSort) {
	case "", "price":
		q.Sort = directory.SortByPrice
	case "freshness":
		q.Sort = directory.SortByFreshness
	default:
		return q, errors.New(carrierapi.ParamSort + ": price or freshness")
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
	q.Offset = page(carrierapi.ParamOffset)
	q.Limit = page(carrierapi.ParamLimit)
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

func publishResult(p p2p.Published) carrierapi.PublishResult {
	return carrierapi.PublishResult{Provider: p.Record.Provider.Hex(), Seq: p.Record.Seq, Hash: "0x" + hex.EncodeToString(p.Hash[:]),
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
	var req carrierapi.PublishRequest
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
