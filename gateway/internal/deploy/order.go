package deploy

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gridnode/gridnode/pkg/market"
)

// ErrInvalidOrder: the Order lacks its chain id, market or id.
var ErrInvalidOrder = errors.New("invalid order")

// ValidateOrder reports what o lacks for the deployer: its chain id, market
// or id. The deployer needs of an order its chain id, Market and id (its
// namespace), buyer and provider (labels), resources (the quota),
// manifest hash, start and end.
func ValidateOrder(o market.Order) error {
	switch {
	case o.ChainID == nil || o.ChainID.Sign() <= 0:
		return fmt.Errorf("%w: no chain id", ErrInvalidOrder)
	case o.Market == (common.Address{}):
		return fmt.Errorf("%w: no market address", ErrInvalidOrder)
	case o.ID == nil || o.ID.Sign() < 0:
		return fmt.Errorf("%w: no order id", ErrInvalidOrder)
	case o.ID.BitLen() > 256 || o.ChainID.BitLen() > 256:
		return fmt.Errorf("%w: id or chain id wider than 256 bits", ErrInvalidOrder)
	}
	return nil
}

// NamespacePrefix starts every order namespace's name.
const NamespacePrefix = "gn-"

// NamespaceName is the order's namespace: "gn-" and the first 20 bytes of
// keccak256(chainID ‖ market ‖ orderID) in hex (each id as 32 big-endian
// bytes), 43 characters, a valid DNS-1123 label. It depends on nothing
// but the three values, so every gateway replica computes the same name.
func NamespaceName(chainID *big.Int, market common.Address, id *big.Int) string {
	var buf [32 + 20 + 32]byte
	chainID.FillBytes(buf[:32])
	copy(buf[32:52], market[:])
	id.FillBytes(buf[52:])
	k := keccaks.Get().(crypto.KeccakState)
	k.Reset()
	_, _ = k.Write(buf[:])
	var h [32]byte
	_, _ = k.Read(h[:])
	keccaks.Put(k)
	var out [len(NamespacePrefix) + 40]byte
	copy(out[:], NamespacePrefix)
	hex.Encode(out[len(NamespacePrefix):], h[:20])
	return string(out[:])
}

// keccaks reuses hash states: the proxy computes a namespace per request.
var keccaks = sync.Pool{New: func() any { return crypto.NewKeccakState() }}

// Namespace is NamespaceName of the order; o must be valid.
func Namespace(o market.Order) string { return NamespaceName(o.ChainID, o.Market, o.ID) }

// Labels and annotations the deployer sets. Values that may be longer than
// a label allows (63 characters) are annotations; the labels carry what
// selection needs.
const (
	LabelManagedBy     = "app.kubernetes.io/managed-by"
	ManagedByValue     = "gridnode-gateway"
	LabelProvider      = "gridnode.io/provider"
	LabelBuyer         = "gridnode.io/buyer"
	LabelMarket        = "gridnode.io/market"
	LabelChainID       = "gridnode.io/chain-id"
	LabelOrderID       = "gridnode.io/order-id"
	LabelManifest      = "gridnode.io/manifest"
	LabelEntrypoint    = "gridnode.io/entrypoint"
	AnnotationChainID  = "gridnode.io/chain-id"
	AnnotationOrderID  = "gridnode.io/order-id"
	AnnotationManifest = "gridnode.io/manifest-hash"
	// AnnotationPreviousManifests lists the hashes of the manifests
	// deployed before the current one, newest first, comma-separated (at
	// most 16): a deploy of one of them after the buyer moved the order's
	// hash on is refused as superseded.
	AnnotationPreviousManifests = "gridnode.io/previous-manifest-hashes"
	AnnotationStart             = "gridnode.io/start"
	AnnotationEnd               = "gridnode.io/end"
	AnnotationResource          = "gridnode.io/resources"
	// AnnotationEntrypoint names the app's entrypoint, "<service>:<port>",
	// on any one object of a manifest; on the applied entrypoint Service
	// it holds the resolved port number.
	AnnotationEntrypoint = "gridnode.io/entrypoint"
)

// labelValue returns s if it fits a label value, else "" (the annotation
// holds the full value).
func labelValue(s string) string {
	if len(s) > 63 {
		return ""
	}
	return s
}

// orderLabels tie an object to its order.
func orderLabels(o market.Order) map[string]string {
	l := map[string]string{
		LabelManagedBy: ManagedByValue,
		LabelProvider:  strings.ToLower(o.Provider.Hex()),
		LabelBuyer:     strings.ToLower(o.Buyer.Hex()),
		LabelMarket:    strings.ToLower(o.Market.Hex()),
	}
	if v := labelValue(o.ChainID.String()); v != "" {
		l[LabelChainID] = v
	}
	if v := labelValue(o.ID.String()); v != "" {
		l[LabelOrderID] = v
	}
	return l
}

// manifestLabel is the manifest generation label value: the first 20 bytes
// of the manifest hash in hex.
func manifestLabel(h [32]byte) string { return fmt.Sprintf("%x", h[:20]) }
