package mediator

import (
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gridnode/gridnode/carrier/internal/txmgr"
	marketbind "github.com/gridnode/gridnode/contracts/bindings/market"
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

// TestOrderRecordClosedJSON: an order its payee closed, with the buyer's
// maximum and its extensions and manifest updates, reads back the same.
func TestOrderRecordClosedJSON(t *testing.T) {
	o := OrderRecord{
		Order:     market.Order{ID: big.NewInt(9), Escrow: big.NewInt(900), Start: market.Unix(10), End: market.Unix(100), Status: market.StatusClosed},
		MaxEscrow: big.NewInt(1000), Paid: big.NewInt(300), Refund: big.NewInt(600), Extensions: 2, ManifestUpdates: 1,
	}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"maxEscrow":"1000"`, `"closed":"closed"`, `"extensions":2`, `"manifestUpdates":1`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON %s lacks %s", b, want)
		}
	}
	var back OrderRecord
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Status != market.StatusClosed || back.MaxEscrow.Cmp(o.MaxEscrow) != 0 || back.Extensions != 2 || back.ManifestUpdates != 1 ||
		back.state(50) != carrierapi.OrderClosed {
		t.Errorf("read back %+v", back)
	}
	if err := json.Unmarshal([]byte(`{"id":1,"closed":"gone"}`), &back); err == nil {
		t.Error("an unknown closed value reads back")
	}
}

// TestLifeError: the Market's refusals, decoded from their ABI encoding as
// the transaction manager does, become the checks' errors.
func TestLifeError(t *testing.T) {
	dec, err := txmgr.ContractsDecoder()
	if err != nil {
		t.Fatal(err)
	}
	a, err := marketbind.MarketMetaData.GetAbi()
	if err != nil {
		t.Fatal(err)
	}
	revert := func(name string, args ...any) []byte {
		e := a.Errors[name]
		data, err := e.Inputs.Pack(args...)
		if err != nil {
			t.Fatal(err)
		}
		return append(append([]byte{}, e.ID[:4]...), data...)
	}
	id, who := big.NewInt(3), common.Address{7}
	for _, tc := range []struct {
		data      []byte
		preflight bool
		want      error
		text      string
	}{
		{revert("PriceAboveMaximum", big.NewInt(200), big.NewInt(150)), true, ErrPriceAboveMaximum,
			"the provider's price rose: the order would cost 200, above your maximum 150 (nothing sent)"},
		{revert("PriceAboveMaximum", big.NewInt(200), big.NewInt(150)), false, ErrPriceAboveMaximum,
			"above your maximum 150 (the transaction reverted on chain)"},
		{revert("NotPayee", id, who), true, ErrNotPayee, "NotPayee(3, 0x07"},
		{revert("NotBuyer", id, who), true, ErrNotBuyer, "NotBuyer(3"},
		{revert("OrderAlreadyClosed", id), true, ErrOrderClosed, "OrderAlreadyClosed(3)"},
		{revert("OrderAlreadyCancelled", id), true, ErrOrderClosed, "OrderAlreadyCancelled(3)"},
		{revert("OrderEnded", id, uint64(99)), false, ErrOrderEnded, "OrderEnded(3, 99)"},
		{revert("SameManifestHash", id), true, ErrSameManifest, "SameManifestHash(3)"},
		{revert("InsufficientCredit", big.NewInt(1), big.NewInt(2)), true, ErrInsufficientCredits, "InsufficientCredit(1, 2)"},
		{revert("ZeroDuration"), true, ErrBadInput, "ZeroDuration()"},
	} {
		err := lifeError(&txmgr.RevertError{Key: "k", Reason: dec.Decode(tc.data), Preflight: tc.preflight})
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
			t.Errorf("%s: %v, want %v saying %q", dec.Decode(tc.data), err, tc.want, tc.text)
		}
	}
	// A mined revert that is not a refusal stays the transaction manager's.
	var rev *txmgr.RevertError
	if err := lifeError(&txmgr.RevertError{Key: "k", Reason: "reverted without a reason"}); !errors.As(err, &rev) || errors.Is(err, ErrBadInput) {
		t.Errorf("plain revert: %v", err)
	}
}
