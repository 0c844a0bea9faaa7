package listing

import "math/big"

// Billing units of the Market contract: memory is billed per MiB and storage
// per GiB, each rounded up.
const (
	MiB = 1 << 20
	GiB = 1 << 30
)

// MaxDuration is the Market's longest order, in seconds (365 days).
const MaxDuration = 365 * 24 * 60 * 60

// Rate is what req costs per second at these prices, exactly as the Market
// computes an order's rate: cpuMillis·CPUMilli + ceil(memory/MiB)·MemoryMiB +
// ceil(storage/GiB)·StorageGiB + gpus·GPU. req.GPUModel is ignored.
func (p Prices) Rate(req Resources) *big.Int {
	rate := new(big.Int)
	term := new(big.Int)
	add := func(qty uint64, price *big.Int) {
		if price == nil || qty == 0 {
			return
		}
		rate.Add(rate, term.Mul(term.SetUint64(qty), price))
	}
	add(req.CPUMillis, p.CPUMilli)
	add(ceilDiv(req.MemoryBytes, MiB), p.MemoryMiB)
	add(ceilDiv(req.StorageBytes, GiB), p.StorageGiB)
	add(uint64(req.GPUs), p.GPU)
	return rate
}

// Cost is Rate(req) × duration seconds: the escrow the Market takes for an
// order of req over duration.
func (p Prices) Cost(req Resources, duration uint64) *big.Int {
	r := p.Rate(req)
	return r.Mul(r, new(big.Int).SetUint64(duration))
}

func ceilDiv(a, b uint64) uint64 {
	q := a / b
	if a%b != 0 {
		q++
	}
	return q
}
