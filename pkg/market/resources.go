package market

import (
	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
)

// Resources is an amount of compute: a provider's capacity, an order's
// request or what an order paid for. GPUModel names the GPUs' model; in a
// request, empty means any model. The Market does not store the model: an
// order read from the chain has none.
type Resources struct {
	CPUMillis    uint64 `json:"cpuMillis"`
	MemoryBytes  uint64 `json:"memoryBytes"`
	StorageBytes uint64 `json:"storageBytes"`
	GPUs         uint32 `json:"gpus"`
	GPUModel     string `json:"gpuModel,omitempty"`
}

// ResourcesFromMarket converts the Market's Resources (no GPU model).
func ResourcesFromMarket(m marketbind.MarketResources) Resources {
	return Resources{CPUMillis: m.CpuMillis, MemoryBytes: m.MemoryBytes, StorageBytes: m.StorageBytes, GPUs: m.Gpus}
}

// Market converts r for the Market contract; the GPU model is dropped.
func (r Resources) Market() marketbind.MarketResources {
	return marketbind.MarketResources{CpuMillis: r.CPUMillis, MemoryBytes: r.MemoryBytes, StorageBytes: r.StorageBytes, Gpus: r.GPUs}
}

// ResourcesFromRegistry converts a provider's capacity in the Registry.
func ResourcesFromRegistry(c registry.RegistryCapacity) Resources {
	return Resources{CPUMillis: c.CpuMillis, MemoryBytes: c.MemoryBytes, StorageBytes: c.StorageBytes, GPUs: c.Gpus, GPUModel: c.GpuModel}
}

// Registry converts r for the Registry contract's capacity.
func (r Resources) Registry() registry.RegistryCapacity {
	return registry.RegistryCapacity{CpuMillis: r.CPUMillis, MemoryBytes: r.MemoryBytes, StorageBytes: r.StorageBytes, Gpus: r.GPUs, GpuModel: r.GPUModel}
}
