package txmgr

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/gridnode/gridnode/contracts/bindings/market"
	"github.com/gridnode/gridnode/contracts/bindings/registry"
	"github.com/gridnode/gridnode/contracts/bindings/token"
)

// Selectors of Solidity's built-in errors.
var (
	selectorError = []byte{0x08, 0xc3, 0x79, 0xa0} // Error(string)
	selectorPanic = []byte{0x4e, 0x48, 0x7b, 0x71} // Panic(uint256)
)

// panicReasons are Solidity's panic codes.
var panicReasons = map[uint64]string{
	0x00: "generic compiler panic",
	0x01: "assertion failed",
	0x11: "arithmetic overflow or underflow",
	0x12: "division or modulo by zero",
	0x21: "invalid enum value",
	0x22: "invalid storage byte array",
	0x31: "pop on empty array",
	0x32: "array index out of bounds",
	0x41: "out of memory",
	0x51: "call to an uninitialised function",
}

// Decoder renders revert data as text: custom errors of its ABIs as
// Name(arg, …), Error(string) as the string, Panic(uint256) with its
// meaning.
type Decoder struct {
	abis []*abi.ABI
}

// NewDecoder decodes the custom errors of abis.
func NewDecoder(abis ...*abi.ABI) *Decoder { return &Decoder{abis: abis} }

// ContractsDecoder decodes the errors of gridnode's Token, Registry and
// Market contracts (OpenZeppelin's ERC20 errors included).
func ContractsDecoder() (*Decoder, error) {
	var abis []*abi.ABI
	for name, md := range map[string]interface{ GetAbi() (*abi.ABI, error) }{
		"market": market.MarketMetaData, "registry": registry.RegistryMetaData, "token": token.TokenMetaData,
	} {
		a, err := md.GetAbi()
		if err != nil {
			return nil, fmt.Errorf("parsing %s abi: %w", name, err)
		}
		abis = append(abis, a)
	}
	return NewDecoder(abis...), nil
}

// Decode renders revert data; empty data is "reverted without a reason".
func (d *Decoder) Decode(data []byte) string {
	if len(data) == 0 {
		return "reverted without a reason"
	}
	if len(data) < 4 {
		return "reverted with malformed data " + hexutil.Encode(data)
	}
	switch {
	case bytes.Equal(data[:4], selectorError):
		if s, err := abi.UnpackRevert(data); err == nil {
			return s
		}
	case bytes.Equal(data[:4], selectorPanic):
		if len(data) == 36 {
			code := new(big.Int).SetBytes(data[4:])
			what := "unknown panic code"
			if code.IsUint64() {
				if s, ok := panicReasons[code.Uint64()]; ok {
					what = s
				}
			}
			return fmt.Sprintf("Panic(0x%x: %s)", code, what)
		}
	}
	var id [4]byte
	copy(id[:], data[:4])
	for _, a := range d.abis {
		e, err := a.ErrorByID(id)
		if err != nil {
			continue
		}
		v, err := e.Unpack(data)
		if err != nil {
			continue
		}
		args, _ := v.([]any)
		parts := make([]string, len(args))
		for i, arg := range args {
			parts[i] = formatArg(arg)
		}
		return e.Name + "(" + strings.Join(parts, ", ") + ")"
	}
	return "unknown error " + hexutil.Encode(data)
}

func formatArg(v any) string {
	switch v := v.(type) {
	case *big.Int:
		return v.String()
	case common.Address:
		return v.Hex()
	case common.Hash:
		return v.Hex()
	case string:
		return strconv.Quote(v)
	case []byte:
		return hexutil.Encode(v)
	case [32]byte:
		return hexutil.Encode(v[:])
	default:
		return fmt.Sprint(v)
	}
}

// revertData reports whether err is a node's "execution reverted" error and
// returns the revert data it carries (possibly none).
func revertData(err error) ([]byte, bool) {
	if err == nil {
		return nil, false
	}
	var de rpc.DataError
	if errors.As(err, &de) {
		if s, ok := de.ErrorData().(string); ok {
			if b, err := hexutil.Decode(s); err == nil {
				return b, true
			}
		}
	}
	var ec rpc.Error
	if errors.As(err, &ec) && ec.ErrorCode() == 3 {
		return nil, true
	}
	if strings.Contains(err.Error(), "execution reverted") {
		return nil, true
	}
	return nil, false
}
