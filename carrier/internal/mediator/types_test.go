package mediator

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/pkg/carrierapi"
	"github.com/gridnode/gridnode/pkg/market"
)

// TestOrderRecordJSON: an order keeps the carrier API's wire (uint64 id,
// unix seconds, decimal-string amounts, "closed") and reads back the same.
func TestOrderRecordJSON(t *testing.T) {
	o := OrderRecord{
		Order: market.Order{
			ID: big.NewInt(7), Buyer: common.Address{1}, Provider: common.Address{2}, Payee: common.Address{3},
			Resources: market.Resources{CPUMillis: 500, MemoryBytes: 1 << 30, GPUs: 1},
			Escrow:    big.NewInt(1200), ManifestHash: common.Hash{0xab},
			Start: market.Unix(1_900_000_000), End: market.Unix(1_900_000_600), Status: market.StatusCancelled,
		},
		Paid: big.NewInt(200), Refund: big.NewInt(1000), CreatedTx: common.Hash{0xc1}, ClosedTx: common.Hash{0xc2},
		Batch: 4, Role: "buyer", State: carrierapi.OrderCancelled,
	}
	const want = `{"id":7,"buyer":"0x0100000000000000000000000000000000000000",` +
		`"provider":"0x0200000000000000000000000000000000000000","payee":"0x0300000000000000000000000000000000000000",` +
		`"resources":{"cpuMillis":500,"memoryBytes":1073741824,"storageBytes":0,"gpus":1},"escrow":"1200",` +
		`"manifestHash":"0xab00000000000000000000000000000000000000000000000000000000000000","start":1900000000,"end":1900000600,` +
		`"closed":"cancelled","paid":"200","refund":"1000",` +
		`"createdTx":"0xc100000000000000000000000000000000000000000000000000000000000000",` +
		`"closedTx":"0xc200000000000000000000000000000000000000000000000000000000000000","batch":4,"role":"buyer","state":"cancelled"}`
	b, err := json.Marshal(&o)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != want {
		t.Fatalf("order JSON\n%s\nwant\n%s", b, want)
	}
	var back OrderRecord
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	again, _ := json.Marshal(back)
	if string(again) != want || back.Status != market.StatusCancelled || back.ID.Uint64() != 7 || !back.End.Equal(o.End) {
		t.Fatalf("read back %+v\n%s", back, again)
	}

	// An open order has no closed, paid, refund or closedTx.
	open := OrderRecord{Order: market.Order{ID: big.NewInt(1), Escrow: big.NewInt(5), Start: market.Unix(1), End: market.Unix(2), Status: market.StatusOpen}}
	b, _ = json.Marshal(open)
	const wantOpen = `{"id":1,"buyer":"0x0000000000000000000000000000000000000000","provider":"0x0000000000000000000000000000000000000000",` +
		`"payee":"0x0000000000000000000000000000000000000000","resources":{"cpuMillis":0,"memoryBytes":0,"storageBytes":0,"gpus":0},` +
		`"escrow":"5","manifestHash":"0x0000000000000000000000000000000000000000000000000000000000000000","start":1,"end":2,` +
		`"createdTx":"0x0000000000000000000000000000000000000000000000000000000000000000"}`
	if string(b) != wantOpen {
		t.Fatalf("open order JSON\n%s\nwant\n%s", b, wantOpen)
	}
}
