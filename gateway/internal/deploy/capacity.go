package deploy

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/gridnode/gridnode/pkg/market"
)

// Capacity is what the cluster can still sell.
type Capacity struct {
	// Nodes counts the ready, schedulable nodes.
	Nodes int `json:"nodes"`
	// Allocatable sums those nodes' allocatable resources (storage: the
	// configured storage capacity, else their ephemeral storage).
	Allocatable market.Resources `json:"allocatable"`
	// Held sums the ResourceQuotas of every order namespace (this
	// provider's and any other gateway's on the same cluster).
	Held market.Resources `json:"held"`
	// Free is Allocatable minus Held, never below zero.
	Free market.Resources `json:"free"`
}

// Capacity reads the nodes and the order namespaces' quotas.
func (d *Deployer) Capacity(ctx context.Context) (Capacity, error) {
	var c Capacity
	nodes, err := d.kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return c, fmt.Errorf("listing nodes: %w", err)
	}
	gpu := d.set.policy.GPUResource
	var ephemeral uint64
	for _, n := range nodes.Items {
		if n.Spec.Unschedulable || !nodeReady(&n) {
			continue
		}
		c.Nodes++
		a := n.Status.Allocatable
		c.Allocatable.CPUMillis = sat(c.Allocatable.CPUMillis, milli(a, corev1.ResourceCPU))
		c.Allocatable.MemoryBytes = sat(c.Allocatable.MemoryBytes, units(a, corev1.ResourceMemory))
		c.Allocatable.GPUs = uint32(min(sat(uint64(c.Allocatable.GPUs), units(a, gpu)), 1<<32-1))
		ephemeral = sat(ephemeral, units(a, corev1.ResourceEphemeralStorage))
	}
	c.Allocatable.StorageBytes = ephemeral
	if d.set.storage != nil {
		c.Allocatable.StorageBytes = uint64(max(d.set.storage.Value(), 0))
	}
	quotas, err := d.kube.CoreV1().ResourceQuotas(metav1.NamespaceAll).List(ctx, metav1.ListOptions{
		LabelSelector: LabelManagedBy + "=" + ManagedByValue,
	})
	if err != nil {
		return c, fmt.Errorf("listing order quotas: %w", err)
	}
	for _, q := range quotas.Items {
		if q.Name != QuotaName {
			continue
		}
		h := q.Spec.Hard
		c.Held.CPUMillis = sat(c.Held.CPUMillis, milli(h, corev1.ResourceRequestsCPU))
		c.Held.MemoryBytes = sat(c.Held.MemoryBytes, units(h, corev1.ResourceRequestsMemory))
		c.Held.StorageBytes = sat(c.Held.StorageBytes, units(h, corev1.ResourceRequestsStorage))
		c.Held.GPUs = uint32(min(sat(uint64(c.Held.GPUs), units(h, corev1.ResourceName("requests."+string(gpu)))), 1<<32-1))
	}
	sub := func(a, b uint64) uint64 {
		if b > a {
			return 0
		}
		return a - b
	}
	c.Free = market.Resources{
		CPUMillis:    sub(c.Allocatable.CPUMillis, c.Held.CPUMillis),
		MemoryBytes:  sub(c.Allocatable.MemoryBytes, c.Held.MemoryBytes),
		StorageBytes: sub(c.Allocatable.StorageBytes, c.Held.StorageBytes),
		GPUs:         uint32(sub(uint64(c.Allocatable.GPUs), uint64(c.Held.GPUs))),
	}
	return c, nil
}

func nodeReady(n *corev1.Node) bool {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// sat adds without overflowing.
func sat(a, b uint64) uint64 {
	if a+b < a {
		return ^uint64(0)
	}
	return a + b
}

func milli(l corev1.ResourceList, name corev1.ResourceName) uint64 {
	q, ok := l[name]
	if !ok {
		return 0
	}
	return toUint64(ceilInt(q.AsDec().String() + "e3"))
}

func units(l corev1.ResourceList, name corev1.ResourceName) uint64 {
	q, ok := l[name]
	if !ok {
		return 0
	}
	return toUint64(ceilInt(q.AsDec().String()))
}

func toUint64(v *big.Int) uint64 {
	if v.Sign() <= 0 {
		return 0
	}
	if !v.IsUint64() {
		return ^uint64(0)
	}
	return v.Uint64()
}

// Placed is an order namespace as the cluster holds it.
type Placed struct {
	Namespace string
	// Order is read back from the namespace's labels and annotations:
	// chain id, market, id, buyer, provider, manifest hash, resources,
	// start and end.
	Order market.Order
	// Terminating: the namespace is being deleted.
	Terminating bool
	Created     time.Time
}

// List returns every order namespace on the cluster, of every provider
// and market: callers filter. Values that do not parse stay zero (an
// Order whose Validate fails), so a caller can skip them.
func (d *Deployer) List(ctx context.Context) ([]Placed, error) {
	list, err := d.kube.CoreV1().Namespaces().List(ctx, metav1.ListOptions{LabelSelector: LabelManagedBy + "=" + ManagedByValue})
	if err != nil {
		return nil, fmt.Errorf("listing order namespaces: %w", err)
	}
	out := make([]Placed, 0, len(list.Items))
	for _, n := range list.Items {
		p := Placed{Namespace: n.Name, Terminating: n.DeletionTimestamp != nil, Created: n.CreationTimestamp.Time}
		p.Order = orderOf(n.Labels, n.Annotations)
		out = append(out, p)
	}
	return out, nil
}

// orderOf reads an order back from a namespace's labels and annotations;
// fields that do not parse stay zero (ChainID and ID nil).
func orderOf(l, a map[string]string) market.Order {
	var o market.Order
	if v, ok := new(big.Int).SetString(a[AnnotationChainID], 10); ok {
		o.ChainID = v
	}
	if v, ok := new(big.Int).SetString(a[AnnotationOrderID], 10); ok {
		o.ID = v
	}
	for _, f := range []struct {
		dst *common.Address
		v   string
	}{{&o.Market, l[LabelMarket]}, {&o.Buyer, l[LabelBuyer]}, {&o.Provider, l[LabelProvider]}} {
		if common.IsHexAddress(f.v) {
			*f.dst = common.HexToAddress(f.v)
		}
	}
	if h := strings.TrimPrefix(a[AnnotationManifest], "0x"); len(h) == 64 {
		copy(o.ManifestHash[:], common.FromHex(h))
	}
	_ = json.Unmarshal([]byte(a[AnnotationResource]), &o.Resources)
	if t, err := time.Parse(time.RFC3339, a[AnnotationStart]); err == nil {
		o.Start = t
	}
	if t, err := time.Parse(time.RFC3339, a[AnnotationEnd]); err == nil {
		o.End = t
	}
	return o
}
