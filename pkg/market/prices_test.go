package market

import (
	"math/big"
	"testing"
)

func TestRate(t *testing.T) {
	p := Prices{CPUMilli: big.NewInt(3), MemoryMiB: big.NewInt(5), StorageGiB: big.NewInt(7), GPU: big.NewInt(1000)}
	max128 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1))
	maxU64 := ^uint64(0)
	huge := new(big.Int).Mul(max128, new(big.Int).SetUint64(maxU64))
	tests := []struct {
		name   string
		prices Prices
		req    Resources
		want   *big.Int
	}{
		{"nothing", p, Resources{}, big.NewInt(0)},
		{"cpu", p, Resources{CPUMillis: 500}, big.NewInt(1500)},
		{"one byte of memory is a MiB", p, Resources{MemoryBytes: 1}, big.NewInt(5)},
		{"exact MiB", p, Resources{MemoryBytes: 256 << 20}, big.NewInt(256 * 5)},
		{"MiB plus one byte", p, Resources{MemoryBytes: 256<<20 + 1}, big.NewInt(257 * 5)},
		{"storage rounds up to GiB", p, Resources{StorageBytes: 1<<30 + 1}, big.NewInt(2 * 7)},
		{"gpus", p, Resources{GPUs: 2, GPUModel: "ignored"}, big.NewInt(2000)},
		{"all", p, Resources{CPUMillis: 500, MemoryBytes: 256 << 20, StorageBytes: 1 << 30, GPUs: 1},
			big.NewInt(1500 + 1280 + 7 + 1000)},
		{"nil prices are zero", Prices{CPUMilli: big.NewInt(2)}, Resources{CPUMillis: 4, MemoryBytes: 1 << 30, GPUs: 9}, big.NewInt(8)},
		{"widest", Prices{CPUMilli: max128}, Resources{CPUMillis: maxU64}, huge},
		{"max memory", Prices{MemoryMiB: big.NewInt(1)}, Resources{MemoryBytes: maxU64}, new(big.Int).SetUint64(1 << 44)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.prices.Rate(tt.req); got.Cmp(tt.want) != 0 {
				t.Errorf("Rate = %s, want %s", got, tt.want)
			}
			want := new(big.Int).Mul(tt.want, big.NewInt(3600))
			if got := tt.prices.Cost(tt.req, 3600); got.Cmp(want) != 0 {
				t.Errorf("Cost = %s, want %s", got, want)
			}
		})
	}
	if p.CPUMilli.Int64() != 3 {
		t.Error("Rate modified the prices")
	}
}
