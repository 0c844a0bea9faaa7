// Code generated - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package market

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = errors.New
	_ = big.NewInt
	_ = strings.NewReader
	_ = ethereum.NotFound
	_ = bind.Bind
	_ = common.Big1
	_ = types.BloomLookup
	_ = event.NewSubscription
	_ = abi.ConvertType
	_ = time.Tick
	_ = context.Background
)

// MarketOrderView is an auto generated low-level Go binding around an user-defined struct.
type MarketOrderView struct {
	Buyer        common.Address
	Provider     common.Address
	Payee        common.Address
	Resources    MarketResources
	Start        uint64
	End          uint64
	Escrow       *big.Int
	ManifestHash [32]byte
	Status       uint8
}

// MarketResources is an auto generated low-level Go binding around an user-defined struct.
type MarketResources struct {
	CpuMillis    uint64
	MemoryBytes  uint64
	StorageBytes uint64
	Gpus         uint32
}

// MarketMetaData contains all meta data concerning the Market contract.
var MarketMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token_\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"registry_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"BatchTooLarge\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"max\",\"type\":\"uint64\"}],\"name\":\"DurationTooLong\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyResources\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"EscrowTooLarge\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"available\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"required\",\"type\":\"uint256\"}],\"name\":\"InsufficientCredit\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotBuyer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotPayee\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"OrderAlreadyCancelled\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"OrderAlreadyClosed\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"OrderAlreadySettled\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"}],\"name\":\"OrderEnded\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"}],\"name\":\"OrderNotEnded\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"maxEscrow\",\"type\":\"uint256\"}],\"name\":\"PriceAboveMaximum\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ProviderNotRegistered\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"SafeERC20FailedOperation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"SameManifestHash\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"UnknownOrder\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroDuration\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroEscrow\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroManifestHash\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"previousHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"}],\"name\":\"ManifestUpdated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"providerPaid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"buyerRefund\",\"type\":\"uint256\"}],\"name\":\"OrderCancelled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"providerPaid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"buyerRefund\",\"type\":\"uint256\"}],\"name\":\"OrderClosed\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"}],\"indexed\":false,\"internalType\":\"structMarket.Resources\",\"name\":\"resources\",\"type\":\"tuple\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"}],\"name\":\"OrderCreated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"addedEscrow\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"}],\"name\":\"OrderExtended\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"providerPaid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"buyerRefund\",\"type\":\"uint256\"}],\"name\":\"OrderSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"GIB\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_BATCH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_DURATION\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MIB\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"cancel\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"close\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"}],\"internalType\":\"structMarket.Resources\",\"name\":\"resources\",\"type\":\"tuple\"},{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"},{\"internalType\":\"uint256\",\"name\":\"maxEscrow\",\"type\":\"uint256\"}],\"name\":\"createOrder\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"creditOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"}],\"name\":\"extend\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"getOrder\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"}],\"internalType\":\"structMarket.Resources\",\"name\":\"resources\",\"type\":\"tuple\"},{\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"},{\"internalType\":\"enumMarket.Status\",\"name\":\"status\",\"type\":\"uint8\"}],\"internalType\":\"structMarket.OrderView\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"isActive\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"orderCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"registry\",\"outputs\":[{\"internalType\":\"contractRegistry\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"settle\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256[]\",\"name\":\"ids\",\"type\":\"uint256[]\"}],\"name\":\"settleBatch\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"settled\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"token\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"}],\"name\":\"updateManifest\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x60c060405234801561000f575f5ffd5b50604051612b29380380612b2983398101604081905261002e9161009b565b6001600160a01b038216158061004b57506001600160a01b038116155b156100695760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b039182166080521660a0526100cc565b80516001600160a01b0381168114610096575f5ffd5b919050565b5f5f604083850312156100ac575f5ffd5b6100b583610080565b91506100c360208401610080565b90509250929050565b60805160a051612a276101025f395f81816102180152611f3901525f818161031f015281816106120152610e8c0152612a275ff3fe608060405234801561000f575f5ffd5b5060043610610149575f3560e01c80637b103999116100c7578063b6b55f251161007d578063e3f08c1d11610063578063e3f08c1d146102f4578063e5f134ad14610307578063fc0c546a1461031a575f5ffd5b8063b6b55f25146102c1578063d09ef241146102d4575f5ffd5b80638df82800116100ad5780638df8280014610282578063950bff9f14610295578063b1724b461461029d575f5ffd5b80637b1039991461021357806382afd23b1461025f575f5ffd5b806340e58ee51161011c578063630693cb11610102578063630693cb146101c15780636c92e5f2146101cb57806375807250146101de575f5ffd5b806340e58ee51461019b5780635db03292146101ae575f5ffd5b80630a39676f1461014d5780630aebeb4e1461016b5780632453ffa8146101805780632e1a7d4d14610188575b5f5ffd5b610158634000000081565b6040519081526020015b60405180910390f35b61017e610179366004612378565b610341565b005b600254610158565b61017e610196366004612378565b61051f565b61017e6101a9366004612378565b610642565b61017e6101bc36600461238f565b610800565b6101586210000081565b6101586101d93660046123af565b6109f6565b6101586101ec366004612441565b73ffffffffffffffffffffffffffffffffffffffff165f9081526020819052604090205490565b61023a7f000000000000000000000000000000000000000000000000000000000000000081565b60405173ffffffffffffffffffffffffffffffffffffffff9091168152602001610162565b61027261026d366004612378565b610bbf565b6040519015158152602001610162565b61017e610290366004612378565b610c6c565b610158606481565b6102a86301e1338081565b60405167ffffffffffffffff9091168152602001610162565b61017e6102cf366004612378565b610dd9565b6102e76102e2366004612378565b610ebc565b60405161016291906124c2565b61017e6103023660046125eb565b6110a7565b610158610315366004612615565b611516565b61023a7f000000000000000000000000000000000000000000000000000000000000000081565b610349611b64565b5f818152600160208190526040909120805490917e0100000000000000000000000000000000000000000000000000000000000090910460ff16908160048111156103965761039661245c565b146103a5576103a58382611b9b565b600182015473ffffffffffffffffffffffffffffffffffffffff163314610406576040517f88335d41000000000000000000000000000000000000000000000000000000008152600481018490523360248201526044015b60405180910390fd5b8154790100000000000000000000000000000000000000000000000000900464ffffffffff16428111610475576040517f10f500130000000000000000000000000000000000000000000000000000000081526004810185905264ffffffffff821660248201526044016103fd565b82547fff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff167e040000000000000000000000000000000000000000000000000000000000001783555f806104c88542611cb9565b91509150857f016814bc84e7fcf63bddbbe1fa159e54dda9b63f6f9ee1f73ce2f10a2e6c2a5d8383604051610507929190918252602082015260400190565b60405180910390a2505050505061051c611de4565b50565b610527611b64565b805f03610560576040517f1f2a200500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b335f90815260208190526040902054808211156105b3576040517f4eb7eaec00000000000000000000000000000000000000000000000000000000815260048101829052602481018390526044016103fd565b335f8181526020818152604091829020858503905590518481527f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5910160405180910390a261063973ffffffffffffffffffffffffffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000163384611e0e565b5061051c611de4565b61064a611b64565b5f818152600160208190526040909120805490917e0100000000000000000000000000000000000000000000000000000000000090910460ff16908160048111156106975761069761245c565b146106a6576106a68382611b9b565b815473ffffffffffffffffffffffffffffffffffffffff1633146106ff576040517f8f1e0b3a000000000000000000000000000000000000000000000000000000008152600481018490523360248201526044016103fd565b8154790100000000000000000000000000000000000000000000000000900464ffffffffff1642811161076e576040517f10f500130000000000000000000000000000000000000000000000000000000081526004810185905264ffffffffff821660248201526044016103fd565b82547fff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff167e020000000000000000000000000000000000000000000000000000000000001783555f806107c18542611cb9565b91509150857fbf07d165e3fa9ba685a3edcfb3fcc9d646b5c9dae990a0848da1bb47cb2e57348383604051610507929190918252602082015260400190565b610808611b64565b8061083f576040517f5ef6dfcc00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f828152600160208190526040909120805490917e0100000000000000000000000000000000000000000000000000000000000090910460ff169081600481111561088c5761088c61245c565b1461089b5761089b8482611b9b565b815473ffffffffffffffffffffffffffffffffffffffff1633146108f4576040517f8f1e0b3a000000000000000000000000000000000000000000000000000000008152600481018590523360248201526044016103fd565b8154790100000000000000000000000000000000000000000000000000900464ffffffffff16428111610963576040517f10f500130000000000000000000000000000000000000000000000000000000081526004810186905264ffffffffff821660248201526044016103fd565b60048301548481036109a4576040517f5a0a76ec000000000000000000000000000000000000000000000000000000008152600481018790526024016103fd565b60048401859055604080518281526020810187905287917f5bf003c4f269ade5e257575a21c8c919f1d6e18824019f9fda99fb92550b0294910160405180910390a2505050506109f2611de4565b5050565b5f6109ff611b64565b816064811115610a45576040517fbb1cb70b00000000000000000000000000000000000000000000000000000000815260048101829052606460248201526044016103fd565b5f5b81811015610baf575f858583818110610a6257610a62612692565b602090810292909201355f8181526001938490526040902090935091905081547e01000000000000000000000000000000000000000000000000000000000000900460ff166004811115610ab857610ab861245c565b14610ac4575050610ba7565b8054790100000000000000000000000000000000000000000000000000900464ffffffffff1642811115610afa57505050610ba7565b81547fff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff167e030000000000000000000000000000000000000000000000000000000000001782555f80610b548464ffffffffff8516611cb9565b91509150847f85cfa59b37ef08d44800b8e9a0e42a4f61d204f2874d003adf5bc10c1c39b0628383604051610b93929190918252602082015260400190565b60405180910390a287600101975050505050505b600101610a47565b5050610bb9611de4565b92915050565b5f81815260016020819052604082209081547e01000000000000000000000000000000000000000000000000000000000000900460ff166004811115610c0757610c0761245c565b148015610c3557508054427401000000000000000000000000000000000000000090910464ffffffffff1611155b8015610c6557508054790100000000000000000000000000000000000000000000000000900464ffffffffff1642105b9392505050565b610c74611b64565b5f818152600160208190526040909120805490917e0100000000000000000000000000000000000000000000000000000000000090910460ff1690816004811115610cc157610cc161245c565b14610cd057610cd08382611b9b565b8154790100000000000000000000000000000000000000000000000000900464ffffffffff1642811115610d40576040517f132a897b0000000000000000000000000000000000000000000000000000000081526004810185905264ffffffffff821660248201526044016103fd565b82547fff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff167e030000000000000000000000000000000000000000000000000000000000001783555f80610d9a8564ffffffffff8516611cb9565b91509150857f85cfa59b37ef08d44800b8e9a0e42a4f61d204f2874d003adf5bc10c1c39b0628383604051610507929190918252602082015260400190565b610de1611b64565b805f03610e1a576040517f1f2a200500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b335f9081526020819052604081208054839290610e389084906126ec565b909155505060405181815233907f2da466a7b24304f47e87fa2e1e5a81b9831ce54fec19055ce277ca2f39ba42c49060200160405180910390a2610eb473ffffffffffffffffffffffffffffffffffffffff7f000000000000000000000000000000000000000000000000000000000000000016333084611e6e565b61051c611de4565b60408051610120810182525f8082526020808301829052828401829052835160808082018652838252918101839052938401829052606080850183905283019390935291810182905260a0810182905260c0810182905260e081018290526101008101919091525f82815260016020818152604092839020835161012081018552815473ffffffffffffffffffffffffffffffffffffffff808216835260028401548116838601529483015494851682870152855160808082018852600385015467ffffffffffffffff8082168452680100000000000000008204811697840197909752700100000000000000000000000000000000810490961697820197909752780100000000000000000000000000000000000000000000000090940463ffffffff166060808601919091528201939093527401000000000000000000000000000000000000000080840464ffffffffff90811696830196909652790100000000000000000000000000000000000000000000000000840490951660a0820152939092046bffffffffffffffffffffffff1660c084015260048083015460e08501529192916101008301917e01000000000000000000000000000000000000000000000000000000000000900460ff169081111561109e5761109e61245c565b90529392505050565b6110af611b64565b5f828152600160208190526040909120805490917e0100000000000000000000000000000000000000000000000000000000000090910460ff16908160048111156110fc576110fc61245c565b1461110b5761110b8482611b9b565b815473ffffffffffffffffffffffffffffffffffffffff163314611164576040517f8f1e0b3a000000000000000000000000000000000000000000000000000000008152600481018590523360248201526044016103fd565b8154790100000000000000000000000000000000000000000000000000900464ffffffffff164281116111d3576040517f10f500130000000000000000000000000000000000000000000000000000000081526004810186905264ffffffffff821660248201526044016103fd565b8367ffffffffffffffff165f03611216576040517f68d5686e00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6301e1338067ffffffffffffffff85161115611274576040517f2ed50ced00000000000000000000000000000000000000000000000000000000815267ffffffffffffffff851660048201526301e1338060248201526044016103fd565b5f4261129167ffffffffffffffff871664ffffffffff85166126ec565b61129b91906126ff565b90506301e133808111156112f1576040517f2ed50ced00000000000000000000000000000000000000000000000000000000815267ffffffffffffffff821660048201526301e1338060248201526044016103fd565b600184015484546bffffffffffffffffffffffff7401000000000000000000000000000000000000000092839004169164ffffffffff91048116905f9061133b90839087166126ff565b61134f67ffffffffffffffff8a1685612712565b6113599190612756565b90505f61136682856126ec565b90506bffffffffffffffffffffffff8111156113c3576040517ff16a3ff1000000000000000000000000000000000000000000000000000000008152600481018290526bffffffffffffffffffffffff60248201526044016103fd565b335f9081526020819052604090205480831115611416576040517f4eb7eaec00000000000000000000000000000000000000000000000000000000815260048101829052602481018490526044016103fd565b5f6114218b8961278e565b335f908152602081815260409182902087860390558c547fffff0000000000ffffffffffffffffffffffffffffffffffffffffffffffffff1679010000000000000000000000000000000000000000000000000064ffffffffff8516908102919091178e5560018e01805473ffffffffffffffffffffffffffffffffffffffff16740100000000000000000000000000000000000000006bffffffffffffffffffffffff8a16021790558251888152918201529192508d917f85f56e82e517c094e72b64f90e738414f01d93b78e9367d272c37bd596ee0ace910160405180910390a2505050505050505050506109f2611de4565b5f61151f611b64565b82611556576040517f5ef6dfcc00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b8367ffffffffffffffff165f03611599576040517f68d5686e00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6301e1338067ffffffffffffffff851611156115f7576040517f2ed50ced00000000000000000000000000000000000000000000000000000000815267ffffffffffffffff851660048201526301e1338060248201526044016103fd565b61160460208601866127ab565b67ffffffffffffffff16158015611632575061162660408601602087016127ab565b67ffffffffffffffff16155b8015611655575061164960608601604087016127ab565b67ffffffffffffffff16155b8015611674575061166c60808601606087016127d7565b63ffffffff16155b156116ab576040517f763a7dd500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b5f5f6116b8888888611ed0565b9150915083811115611700576040517f70b6930e00000000000000000000000000000000000000000000000000000000815260048101829052602481018590526044016103fd565b335f9081526020819052604090205480821115611753576040517f4eb7eaec00000000000000000000000000000000000000000000000000000000815260048101829052602481018390526044016103fd565b335f908152602081905260408120838303905560028054600101908190559450429061177f898361278e565b604080516101208101825233815264ffffffffff8086166020830152831691810191909152909150606081016001815273ffffffffffffffffffffffffffffffffffffffff80881660208301526bffffffffffffffffffffffff871660408301528d1660608201526080016117f9368d90038d018d61283e565b815260209081018a90525f8881526001825260409081902083518154938501519285015164ffffffffff908116790100000000000000000000000000000000000000000000000000027fffff0000000000ffffffffffffffffffffffffffffffffffffffffffffffffff9190941674010000000000000000000000000000000000000000027fffffffffffffff0000000000000000000000000000000000000000000000000090951673ffffffffffffffffffffffffffffffffffffffff90921691909117939093179283168217815560608401519092909183917fff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff9091167fff000000000000ffffffffffffffffffffffffffffffffffffffffffffffffff909116177e0100000000000000000000000000000000000000000000000000000000000083600481111561194f5761194f61245c565b02179055506080820151816001015f6101000a81548173ffffffffffffffffffffffffffffffffffffffff021916908373ffffffffffffffffffffffffffffffffffffffff16021790555060a08201518160010160146101000a8154816bffffffffffffffffffffffff02191690836bffffffffffffffffffffffff16021790555060c0820151816002015f6101000a81548173ffffffffffffffffffffffffffffffffffffffff021916908373ffffffffffffffffffffffffffffffffffffffff16021790555060e0820151816003015f820151815f015f6101000a81548167ffffffffffffffff021916908367ffffffffffffffff1602179055506020820151815f0160086101000a81548167ffffffffffffffff021916908367ffffffffffffffff1602179055506040820151815f0160106101000a81548167ffffffffffffffff021916908367ffffffffffffffff1602179055506060820151815f0160186101000a81548163ffffffff021916908363ffffffff160217905550505061010082015181600401559050503373ffffffffffffffffffffffffffffffffffffffff168b73ffffffffffffffffffffffffffffffffffffffff16877fe83626cab44cc8cd8b492ad5f869c8598c322a6d7017c7bb582a0c94a9f2ea63888e898e8989604051611b469695949392919061289d565b60405180910390a45050505050611b5b611de4565b95945050505050565b611b6c6121d1565b611b9960017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b9061222a565b565b5f816004811115611bae57611bae61245c565b03611be8576040517f40ddeab2000000000000000000000000000000000000000000000000000000008152600481018390526024016103fd565b6002816004811115611bfc57611bfc61245c565b03611c36576040517ff23ffb58000000000000000000000000000000000000000000000000000000008152600481018390526024016103fd565b6004816004811115611c4a57611c4a61245c565b03611c84576040517f47977d65000000000000000000000000000000000000000000000000000000008152600481018390526024016103fd565b6040517fcf399b91000000000000000000000000000000000000000000000000000000008152600481018390526024016103fd565b81545f90819064ffffffffff7401000000000000000000000000000000000000000082048116918391611d0c918491790100000000000000000000000000000000000000000000000000909104166126ff565b60018701549091507401000000000000000000000000000000000000000090046bffffffffffffffffffffffff1681838703820281611d4d57611d4d612729565b04945084810393508415611d9957600187015473ffffffffffffffffffffffffffffffffffffffff165f9081526020819052604081208054879290611d939084906126ec565b90915550505b8315611dda57865473ffffffffffffffffffffffffffffffffffffffff165f9081526020819052604081208054869290611dd49084906126ec565b90915550505b5050509250929050565b611b995f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00611b93565b611e1b8383836001612231565b611e69576040517f5274afe700000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff841660048201526024016103fd565b505050565b611e7c8484848460016122b9565b611eca576040517f5274afe700000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff851660048201526024016103fd565b50505050565b604080516080810182525f808252602082018190529181018290526060810182905281906040517fc8c819ac00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff87811660048301527f0000000000000000000000000000000000000000000000000000000000000000169063c8c819ac9060240160a060405180830381865afa158015611f7e573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190611fa29190612977565b909350905073ffffffffffffffffffffffffffffffffffffffff831661200c576040517f232cb27a00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff871660048201526024016103fd565b5f81606001516fffffffffffffffffffffffffffffffff1686606001602081019061203791906127d7565b63ffffffff166120479190612712565b82604001516fffffffffffffffffffffffffffffffff1661207e88604001602081019061207491906127ab565b634000000061234c565b6120889190612712565b83602001516fffffffffffffffffffffffffffffffff166120be8960200160208101906120b591906127ab565b6210000061234c565b6120c89190612712565b84516fffffffffffffffffffffffffffffffff166120e960208b018b6127ab565b67ffffffffffffffff166120fd9190612712565b61210791906126ec565b61211191906126ec565b61211b91906126ec565b905061213167ffffffffffffffff861682612712565b9250825f0361216c576040517fe9d1aa8500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6bffffffffffffffffffffffff8311156121c7576040517ff16a3ff1000000000000000000000000000000000000000000000000000000008152600481018490526bffffffffffffffffffffffff60248201526044016103fd565b5050935093915050565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c15611b99576040517f3ee5aeb500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b80825d5050565b6040517fa9059cbb000000000000000000000000000000000000000000000000000000005f81815273ffffffffffffffffffffffffffffffffffffffff8616600452602485905291602083604481808b5af1925060015f511483166122ad5783831516156122a1573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b6040517f23b872dd000000000000000000000000000000000000000000000000000000005f81815273ffffffffffffffffffffffffffffffffffffffff8781166004528616602452604485905291602083606481808c5af1925060015f5114831661233b57838315161561232f573d5f823e3d81fd5b5f883b113d1516831692505b604052505f60605295945050505050565b5f8160016123648267ffffffffffffffff87166126ec565b61236e91906126ff565b610c659190612756565b5f60208284031215612388575f5ffd5b5035919050565b5f5f604083850312156123a0575f5ffd5b50508035926020909101359150565b5f5f602083850312156123c0575f5ffd5b823567ffffffffffffffff8111156123d6575f5ffd5b8301601f810185136123e6575f5ffd5b803567ffffffffffffffff8111156123fc575f5ffd5b8560208260051b8401011115612410575f5ffd5b6020919091019590945092505050565b73ffffffffffffffffffffffffffffffffffffffff8116811461051c575f5ffd5b5f60208284031215612451575f5ffd5b8135610c6581612420565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b600581106124be577f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b9052565b815173ffffffffffffffffffffffffffffffffffffffff1681526020808301516101808301916125099084018273ffffffffffffffffffffffffffffffffffffffff169052565b506040830151612531604084018273ffffffffffffffffffffffffffffffffffffffff169052565b50606083810151805167ffffffffffffffff9081168584015260208201518116608086015260408201511660a08501529081015163ffffffff1660c084015250608083015167ffffffffffffffff811660e08401525060a083015167ffffffffffffffff81166101008401525060c083015161012083015260e08301516101408301526101008301516125c8610160840182612489565b5092915050565b803567ffffffffffffffff811681146125e6575f5ffd5b919050565b5f5f604083850312156125fc575f5ffd5b8235915061260c602084016125cf565b90509250929050565b5f5f5f5f5f85870361010081121561262b575f5ffd5b863561263681612420565b955060807fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe082011215612667575f5ffd5b5060208601935061267a60a087016125cf565b9497939650939460c0810135945060e0013592915050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b80820180821115610bb957610bb96126bf565b81810381811115610bb957610bb96126bf565b8082028115828204841417610bb957610bb96126bf565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601260045260245ffd5b5f82612789577f4e487b71000000000000000000000000000000000000000000000000000000005f52601260045260245ffd5b500490565b64ffffffffff8181168382160190811115610bb957610bb96126bf565b5f602082840312156127bb575f5ffd5b610c65826125cf565b803563ffffffff811681146125e6575f5ffd5b5f602082840312156127e7575f5ffd5b610c65826127c4565b6040516080810167ffffffffffffffff81118282101715612838577f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b60405290565b5f608082840312801561284f575f5ffd5b506128586127f0565b612861836125cf565b815261286f602084016125cf565b6020820152612880604084016125cf565b6040820152612891606084016127c4565b60608201529392505050565b73ffffffffffffffffffffffffffffffffffffffff87168152610120810167ffffffffffffffff6128cd886125cf565b16602083015267ffffffffffffffff6128e8602089016125cf565b16604083015267ffffffffffffffff612903604089016125cf565b16606083015263ffffffff61291a606089016127c4565b1660808301528560a08301528460c083015261293f60e083018564ffffffffff169052565b64ffffffffff8316610100830152979650505050505050565b80516fffffffffffffffffffffffffffffffff811681146125e6575f5ffd5b5f5f82840360a0811215612989575f5ffd5b835161299481612420565b925060807fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0820112156129c5575f5ffd5b506129ce6127f0565b6129da60208501612958565b81526129e860408501612958565b60208201526129f960608501612958565b6040820152612a0a60808501612958565b606082015280915050925092905056fea164736f6c6343000825000a",
}

// MarketABI is the input ABI used to generate the binding from.
// Deprecated: Use MarketMetaData.ABI instead.
var MarketABI = MarketMetaData.ABI

// MarketBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use MarketMetaData.Bin instead.
var MarketBin = MarketMetaData.Bin

// DeployMarket deploys a new Ethereum contract, binding an instance of Market to it.
func DeployMarket(auth *bind.TransactOpts, backend bind.ContractBackend, token_ common.Address, registry_ common.Address) (common.Address, *types.Transaction, *Market, error) {
	parsed, err := MarketMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(MarketBin), backend, token_, registry_)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &Market{MarketCaller: MarketCaller{contract: contract}, MarketTransactor: MarketTransactor{contract: contract}, MarketFilterer: MarketFilterer{contract: contract}}, nil
}

// Market is an auto generated Go binding around an Ethereum contract.
type Market struct {
	MarketCaller     // Read-only binding to the contract
	MarketTransactor // Write-only binding to the contract
	MarketFilterer   // Log filterer for contract events
}

// MarketCaller is an auto generated read-only Go binding around an Ethereum contract.
type MarketCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MarketTransactor is an auto generated write-only Go binding around an Ethereum contract.
type MarketTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MarketFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type MarketFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// MarketSession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type MarketSession struct {
	Contract     *Market           // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// MarketCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type MarketCallerSession struct {
	Contract *MarketCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts // Call options to use throughout this session
}

// MarketTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type MarketTransactorSession struct {
	Contract     *MarketTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// MarketRaw is an auto generated low-level Go binding around an Ethereum contract.
type MarketRaw struct {
	Contract *Market // Generic contract binding to access the raw methods on
}

// MarketCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type MarketCallerRaw struct {
	Contract *MarketCaller // Generic read-only contract binding to access the raw methods on
}

// MarketTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type MarketTransactorRaw struct {
	Contract *MarketTransactor // Generic write-only contract binding to access the raw methods on
}

// NewMarket creates a new instance of Market, bound to a specific deployed contract.
func NewMarket(address common.Address, backend bind.ContractBackend) (*Market, error) {
	contract, err := bindMarket(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &Market{MarketCaller: MarketCaller{contract: contract}, MarketTransactor: MarketTransactor{contract: contract}, MarketFilterer: MarketFilterer{contract: contract}}, nil
}

// NewMarketCaller creates a new read-only instance of Market, bound to a specific deployed contract.
func NewMarketCaller(address common.Address, caller bind.ContractCaller) (*MarketCaller, error) {
	contract, err := bindMarket(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &MarketCaller{contract: contract}, nil
}

// NewMarketTransactor creates a new write-only instance of Market, bound to a specific deployed contract.
func NewMarketTransactor(address common.Address, transactor bind.ContractTransactor) (*MarketTransactor, error) {
	contract, err := bindMarket(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &MarketTransactor{contract: contract}, nil
}

// NewMarketFilterer creates a new log filterer instance of Market, bound to a specific deployed contract.
func NewMarketFilterer(address common.Address, filterer bind.ContractFilterer) (*MarketFilterer, error) {
	contract, err := bindMarket(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &MarketFilterer{contract: contract}, nil
}

// bindMarket binds a generic wrapper to an already deployed contract.
func bindMarket(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := MarketMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Market *MarketRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Market.Contract.MarketCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Market *MarketRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Market.Contract.MarketTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Market *MarketRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Market.Contract.MarketTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Market *MarketCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Market.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Market *MarketTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Market.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Market *MarketTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Market.Contract.contract.Transact(opts, method, params...)
}

// GIB is a free data retrieval call binding the contract method 0x0a39676f.
//
// Solidity: function GIB() view returns(uint256)
func (_Market *MarketCaller) GIB(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Market.contract.Call(opts, &out, "GIB")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// GIB is a free data retrieval call binding the contract method 0x0a39676f.
//
// Solidity: function GIB() view returns(uint256)
func (_Market *MarketSession) GIB() (*big.Int, error) {
	return _Market.Contract.GIB(&_Market.CallOpts)
}

// GIB is a free data retrieval call binding the contract method 0x0a39676f.
//
// Solidity: function GIB() view returns(uint256)
func (_Market *MarketCallerSession) GIB() (*big.Int, error) {
	return _Market.Contract.GIB(&_Market.CallOpts)
}

// MAXBATCH is a free data retrieval call binding the contract method 0x950bff9f.
//
// Solidity: function MAX_BATCH() view returns(uint256)
func (_Market *MarketCaller) MAXBATCH(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Market.contract.Call(opts, &out, "MAX_BATCH")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MAXBATCH is a free data retrieval call binding the contract method 0x950bff9f.
//
// Solidity: function MAX_BATCH() view returns(uint256)
func (_Market *MarketSession) MAXBATCH() (*big.Int, error) {
	return _Market.Contract.MAXBATCH(&_Market.CallOpts)
}

// MAXBATCH is a free data retrieval call binding the contract method 0x950bff9f.
//
// Solidity: function MAX_BATCH() view returns(uint256)
func (_Market *MarketCallerSession) MAXBATCH() (*big.Int, error) {
	return _Market.Contract.MAXBATCH(&_Market.CallOpts)
}

// MAXDURATION is a free data retrieval call binding the contract method 0xb1724b46.
//
// Solidity: function MAX_DURATION() view returns(uint64)
func (_Market *MarketCaller) MAXDURATION(opts *bind.CallOpts) (uint64, error) {
	var out []interface{}
	err := _Market.contract.Call(opts, &out, "MAX_DURATION")

	if err != nil {
		return *new(uint64), err
	}

	out0 := *abi.ConvertType(out[0], new(uint64)).(*uint64)

	return out0, err

}

// MAXDURATION is a free data retrieval call binding the contract method 0xb1724b46.
//
// Solidity: function MAX_DURATION() view returns(uint64)
func (_Market *MarketSession) MAXDURATION() (uint64, error) {
	return _Market.Contract.MAXDURATION(&_Market.CallOpts)
}

// MAXDURATION is a free data retrieval call binding the contract method 0xb1724b46.
//
// Solidity: function MAX_DURATION() view returns(uint64)
func (_Market *MarketCallerSession) MAXDURATION() (uint64, error) {
	return _Market.Contract.MAXDURATION(&_Market.CallOpts)
}

// MIB is a free data retrieval call binding the contract method 0x630693cb.
//
// Solidity: function MIB() view returns(uint256)
func (_Market *MarketCaller) MIB(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Market.contract.Call(opts, &out, "MIB")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MIB is a free data retrieval call binding the contract method 0x630693cb.
//
// Solidity: function MIB() view returns(uint256)
func (_Market *MarketSession) MIB() (*big.Int, error) {
	return _Market.Contract.MIB(&_Market.CallOpts)
}

// MIB is a free data retrieval call binding the contract method 0x630693cb.
//
// Solidity: function MIB() view returns(uint256)
func (_Market *MarketCallerSession) MIB() (*big.Int, error) {
	return _Market.Contract.MIB(&_Market.CallOpts)
}

// CreditOf is a free data retrieval call binding the contract method 0x75807250.
//
// Solidity: function creditOf(address account) view returns(uint256)
func (_Market *MarketCaller) CreditOf(opts *bind.CallOpts, account common.Address) (*big.Int, error) {
	var out []interface{}
	err := _Market.contract.Call(opts, &out, "creditOf", account)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// CreditOf is a free data retrieval call binding the contract method 0x75807250.
//
// Solidity: function creditOf(address account) view returns(uint256)
func (_Market *MarketSession) CreditOf(account common.Address) (*big.Int, error) {
	return _Market.Contract.CreditOf(&_Market.CallOpts, account)
}

// CreditOf is a free data retrieval call binding the contract method 0x75807250.
//
// Solidity: function creditOf(address account) view returns(uint256)
func (_Market *MarketCallerSession) CreditOf(account common.Address) (*big.Int, error) {
	return _Market.Contract.CreditOf(&_Market.CallOpts, account)
}

// GetOrder is a free data retrieval call binding the contract method 0xd09ef241.
//
// Solidity: function getOrder(uint256 id) view returns((address,address,address,(uint64,uint64,uint64,uint32),uint64,uint64,uint256,bytes32,uint8))
func (_Market *MarketCaller) GetOrder(opts *bind.CallOpts, id *big.Int) (MarketOrderView, error) {
	var out []interface{}
	err := _Market.contract.Call(opts, &out, "getOrder", id)

	if err != nil {
		return *new(MarketOrderView), err
	}

	out0 := *abi.ConvertType(out[0], new(MarketOrderView)).(*MarketOrderView)

	return out0, err

}

// GetOrder is a free data retrieval call binding the contract method 0xd09ef241.
//
// Solidity: function getOrder(uint256 id) view returns((address,address,address,(uint64,uint64,uint64,uint32),uint64,uint64,uint256,bytes32,uint8))
func (_Market *MarketSession) GetOrder(id *big.Int) (MarketOrderView, error) {
	return _Market.Contract.GetOrder(&_Market.CallOpts, id)
}

// GetOrder is a free data retrieval call binding the contract method 0xd09ef241.
//
// Solidity: function getOrder(uint256 id) view returns((address,address,address,(uint64,uint64,uint64,uint32),uint64,uint64,uint256,bytes32,uint8))
func (_Market *MarketCallerSession) GetOrder(id *big.Int) (MarketOrderView, error) {
	return _Market.Contract.GetOrder(&_Market.CallOpts, id)
}

// IsActive is a free data retrieval call binding the contract method 0x82afd23b.
//
// Solidity: function isActive(uint256 id) view returns(bool)
func (_Market *MarketCaller) IsActive(opts *bind.CallOpts, id *big.Int) (bool, error) {
	var out []interface{}
	err := _Market.contract.Call(opts, &out, "isActive", id)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// IsActive is a free data retrieval call binding the contract method 0x82afd23b.
//
// Solidity: function isActive(uint256 id) view returns(bool)
func (_Market *MarketSession) IsActive(id *big.Int) (bool, error) {
	return _Market.Contract.IsActive(&_Market.CallOpts, id)
}

// IsActive is a free data retrieval call binding the contract method 0x82afd23b.
//
// Solidity: function isActive(uint256 id) view returns(bool)
func (_Market *MarketCallerSession) IsActive(id *big.Int) (bool, error) {
	return _Market.Contract.IsActive(&_Market.CallOpts, id)
}

// OrderCount is a free data retrieval call binding the contract method 0x2453ffa8.
//
// Solidity: function orderCount() view returns(uint256)
func (_Market *MarketCaller) OrderCount(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Market.contract.Call(opts, &out, "orderCount")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// OrderCount is a free data retrieval call binding the contract method 0x2453ffa8.
//
// Solidity: function orderCount() view returns(uint256)
func (_Market *MarketSession) OrderCount() (*big.Int, error) {
	return _Market.Contract.OrderCount(&_Market.CallOpts)
}

// OrderCount is a free data retrieval call binding the contract method 0x2453ffa8.
//
// Solidity: function orderCount() view returns(uint256)
func (_Market *MarketCallerSession) OrderCount() (*big.Int, error) {
	return _Market.Contract.OrderCount(&_Market.CallOpts)
}

// Registry is a free data retrieval call binding the contract method 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (_Market *MarketCaller) Registry(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _Market.contract.Call(opts, &out, "registry")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Registry is a free data retrieval call binding the contract method 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (_Market *MarketSession) Registry() (common.Address, error) {
	return _Market.Contract.Registry(&_Market.CallOpts)
}

// Registry is a free data retrieval call binding the contract method 0x7b103999.
//
// Solidity: function registry() view returns(address)
func (_Market *MarketCallerSession) Registry() (common.Address, error) {
	return _Market.Contract.Registry(&_Market.CallOpts)
}

// Token is a free data retrieval call binding the contract method 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (_Market *MarketCaller) Token(opts *bind.CallOpts) (common.Address, error) {
	var out []interface{}
	err := _Market.contract.Call(opts, &out, "token")

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// Token is a free data retrieval call binding the contract method 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (_Market *MarketSession) Token() (common.Address, error) {
	return _Market.Contract.Token(&_Market.CallOpts)
}

// Token is a free data retrieval call binding the contract method 0xfc0c546a.
//
// Solidity: function token() view returns(address)
func (_Market *MarketCallerSession) Token() (common.Address, error) {
	return _Market.Contract.Token(&_Market.CallOpts)
}

// Cancel is a paid mutator transaction binding the contract method 0x40e58ee5.
//
// Solidity: function cancel(uint256 id) returns()
func (_Market *MarketTransactor) Cancel(opts *bind.TransactOpts, id *big.Int) (*types.Transaction, error) {
	return _Market.contract.Transact(opts, "cancel", id)
}

// Cancel is a paid mutator transaction binding the contract method 0x40e58ee5.
//
// Solidity: function cancel(uint256 id) returns()
func (_Market *MarketSession) Cancel(id *big.Int) (*types.Transaction, error) {
	return _Market.Contract.Cancel(&_Market.TransactOpts, id)
}

// Cancel is a paid mutator transaction binding the contract method 0x40e58ee5.
//
// Solidity: function cancel(uint256 id) returns()
func (_Market *MarketTransactorSession) Cancel(id *big.Int) (*types.Transaction, error) {
	return _Market.Contract.Cancel(&_Market.TransactOpts, id)
}

// Close is a paid mutator transaction binding the contract method 0x0aebeb4e.
//
// Solidity: function close(uint256 id) returns()
func (_Market *MarketTransactor) Close(opts *bind.TransactOpts, id *big.Int) (*types.Transaction, error) {
	return _Market.contract.Transact(opts, "close", id)
}

// Close is a paid mutator transaction binding the contract method 0x0aebeb4e.
//
// Solidity: function close(uint256 id) returns()
func (_Market *MarketSession) Close(id *big.Int) (*types.Transaction, error) {
	return _Market.Contract.Close(&_Market.TransactOpts, id)
}

// Close is a paid mutator transaction binding the contract method 0x0aebeb4e.
//
// Solidity: function close(uint256 id) returns()
func (_Market *MarketTransactorSession) Close(id *big.Int) (*types.Transaction, error) {
	return _Market.Contract.Close(&_Market.TransactOpts, id)
}

// CreateOrder is a paid mutator transaction binding the contract method 0xe5f134ad.
//
// Solidity: function createOrder(address provider, (uint64,uint64,uint64,uint32) resources, uint64 duration, bytes32 manifestHash, uint256 maxEscrow) returns(uint256 id)
func (_Market *MarketTransactor) CreateOrder(opts *bind.TransactOpts, provider common.Address, resources MarketResources, duration uint64, manifestHash [32]byte, maxEscrow *big.Int) (*types.Transaction, error) {
	return _Market.contract.Transact(opts, "createOrder", provider, resources, duration, manifestHash, maxEscrow)
}

// CreateOrder is a paid mutator transaction binding the contract method 0xe5f134ad.
//
// Solidity: function createOrder(address provider, (uint64,uint64,uint64,uint32) resources, uint64 duration, bytes32 manifestHash, uint256 maxEscrow) returns(uint256 id)
func (_Market *MarketSession) CreateOrder(provider common.Address, resources MarketResources, duration uint64, manifestHash [32]byte, maxEscrow *big.Int) (*types.Transaction, error) {
	return _Market.Contract.CreateOrder(&_Market.TransactOpts, provider, resources, duration, manifestHash, maxEscrow)
}

// CreateOrder is a paid mutator transaction binding the contract method 0xe5f134ad.
//
// Solidity: function createOrder(address provider, (uint64,uint64,uint64,uint32) resources, uint64 duration, bytes32 manifestHash, uint256 maxEscrow) returns(uint256 id)
func (_Market *MarketTransactorSession) CreateOrder(provider common.Address, resources MarketResources, duration uint64, manifestHash [32]byte, maxEscrow *big.Int) (*types.Transaction, error) {
	return _Market.Contract.CreateOrder(&_Market.TransactOpts, provider, resources, duration, manifestHash, maxEscrow)
}

// Deposit is a paid mutator transaction binding the contract method 0xb6b55f25.
//
// Solidity: function deposit(uint256 amount) returns()
func (_Market *MarketTransactor) Deposit(opts *bind.TransactOpts, amount *big.Int) (*types.Transaction, error) {
	return _Market.contract.Transact(opts, "deposit", amount)
}

// Deposit is a paid mutator transaction binding the contract method 0xb6b55f25.
//
// Solidity: function deposit(uint256 amount) returns()
func (_Market *MarketSession) Deposit(amount *big.Int) (*types.Transaction, error) {
	return _Market.Contract.Deposit(&_Market.TransactOpts, amount)
}

// Deposit is a paid mutator transaction binding the contract method 0xb6b55f25.
//
// Solidity: function deposit(uint256 amount) returns()
func (_Market *MarketTransactorSession) Deposit(amount *big.Int) (*types.Transaction, error) {
	return _Market.Contract.Deposit(&_Market.TransactOpts, amount)
}

// Extend is a paid mutator transaction binding the contract method 0xe3f08c1d.
//
// Solidity: function extend(uint256 id, uint64 duration) returns()
func (_Market *MarketTransactor) Extend(opts *bind.TransactOpts, id *big.Int, duration uint64) (*types.Transaction, error) {
	return _Market.contract.Transact(opts, "extend", id, duration)
}

// Extend is a paid mutator transaction binding the contract method 0xe3f08c1d.
//
// Solidity: function extend(uint256 id, uint64 duration) returns()
func (_Market *MarketSession) Extend(id *big.Int, duration uint64) (*types.Transaction, error) {
	return _Market.Contract.Extend(&_Market.TransactOpts, id, duration)
}

// Extend is a paid mutator transaction binding the contract method 0xe3f08c1d.
//
// Solidity: function extend(uint256 id, uint64 duration) returns()
func (_Market *MarketTransactorSession) Extend(id *big.Int, duration uint64) (*types.Transaction, error) {
	return _Market.Contract.Extend(&_Market.TransactOpts, id, duration)
}

// Settle is a paid mutator transaction binding the contract method 0x8df82800.
//
// Solidity: function settle(uint256 id) returns()
func (_Market *MarketTransactor) Settle(opts *bind.TransactOpts, id *big.Int) (*types.Transaction, error) {
	return _Market.contract.Transact(opts, "settle", id)
}

// Settle is a paid mutator transaction binding the contract method 0x8df82800.
//
// Solidity: function settle(uint256 id) returns()
func (_Market *MarketSession) Settle(id *big.Int) (*types.Transaction, error) {
	return _Market.Contract.Settle(&_Market.TransactOpts, id)
}

// Settle is a paid mutator transaction binding the contract method 0x8df82800.
//
// Solidity: function settle(uint256 id) returns()
func (_Market *MarketTransactorSession) Settle(id *big.Int) (*types.Transaction, error) {
	return _Market.Contract.Settle(&_Market.TransactOpts, id)
}

// SettleBatch is a paid mutator transaction binding the contract method 0x6c92e5f2.
//
// Solidity: function settleBatch(uint256[] ids) returns(uint256 settled)
func (_Market *MarketTransactor) SettleBatch(opts *bind.TransactOpts, ids []*big.Int) (*types.Transaction, error) {
	return _Market.contract.Transact(opts, "settleBatch", ids)
}

// SettleBatch is a paid mutator transaction binding the contract method 0x6c92e5f2.
//
// Solidity: function settleBatch(uint256[] ids) returns(uint256 settled)
func (_Market *MarketSession) SettleBatch(ids []*big.Int) (*types.Transaction, error) {
	return _Market.Contract.SettleBatch(&_Market.TransactOpts, ids)
}

// SettleBatch is a paid mutator transaction binding the contract method 0x6c92e5f2.
//
// Solidity: function settleBatch(uint256[] ids) returns(uint256 settled)
func (_Market *MarketTransactorSession) SettleBatch(ids []*big.Int) (*types.Transaction, error) {
	return _Market.Contract.SettleBatch(&_Market.TransactOpts, ids)
}

// UpdateManifest is a paid mutator transaction binding the contract method 0x5db03292.
//
// Solidity: function updateManifest(uint256 id, bytes32 manifestHash) returns()
func (_Market *MarketTransactor) UpdateManifest(opts *bind.TransactOpts, id *big.Int, manifestHash [32]byte) (*types.Transaction, error) {
	return _Market.contract.Transact(opts, "updateManifest", id, manifestHash)
}

// UpdateManifest is a paid mutator transaction binding the contract method 0x5db03292.
//
// Solidity: function updateManifest(uint256 id, bytes32 manifestHash) returns()
func (_Market *MarketSession) UpdateManifest(id *big.Int, manifestHash [32]byte) (*types.Transaction, error) {
	return _Market.Contract.UpdateManifest(&_Market.TransactOpts, id, manifestHash)
}

// UpdateManifest is a paid mutator transaction binding the contract method 0x5db03292.
//
// Solidity: function updateManifest(uint256 id, bytes32 manifestHash) returns()
func (_Market *MarketTransactorSession) UpdateManifest(id *big.Int, manifestHash [32]byte) (*types.Transaction, error) {
	return _Market.Contract.UpdateManifest(&_Market.TransactOpts, id, manifestHash)
}

// Withdraw is a paid mutator transaction binding the contract method 0x2e1a7d4d.
//
// Solidity: function withdraw(uint256 amount) returns()
func (_Market *MarketTransactor) Withdraw(opts *bind.TransactOpts, amount *big.Int) (*types.Transaction, error) {
	return _Market.contract.Transact(opts, "withdraw", amount)
}

// Withdraw is a paid mutator transaction binding the contract method 0x2e1a7d4d.
//
// Solidity: function withdraw(uint256 amount) returns()
func (_Market *MarketSession) Withdraw(amount *big.Int) (*types.Transaction, error) {
	return _Market.Contract.Withdraw(&_Market.TransactOpts, amount)
}

// Withdraw is a paid mutator transaction binding the contract method 0x2e1a7d4d.
//
// Solidity: function withdraw(uint256 amount) returns()
func (_Market *MarketTransactorSession) Withdraw(amount *big.Int) (*types.Transaction, error) {
	return _Market.Contract.Withdraw(&_Market.TransactOpts, amount)
}

// MarketDepositedIterator is returned from FilterDeposited and is used to iterate over the raw logs and unpacked data for Deposited events raised by the Market contract.
type MarketDepositedIterator struct {
	Event *MarketDeposited // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MarketDepositedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MarketDeposited)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MarketDeposited)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MarketDepositedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MarketDepositedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MarketDeposited represents a Deposited event raised by the Market contract.
type MarketDeposited struct {
	Account common.Address
	Amount  *big.Int
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterDeposited is a free log retrieval operation binding the contract event 0x2da466a7b24304f47e87fa2e1e5a81b9831ce54fec19055ce277ca2f39ba42c4.
//
// Solidity: event Deposited(address indexed account, uint256 amount)
func (_Market *MarketFilterer) FilterDeposited(opts *bind.FilterOpts, account []common.Address) (*MarketDepositedIterator, error) {

	var accountRule []interface{}
	for _, accountItem := range account {
		accountRule = append(accountRule, accountItem)
	}

	logs, sub, err := _Market.contract.FilterLogs(opts, "Deposited", accountRule)
	if err != nil {
		return nil, err
	}
	return &MarketDepositedIterator{contract: _Market.contract, event: "Deposited", logs: logs, sub: sub}, nil
}

// WatchDeposited is a free log subscription operation binding the contract event 0x2da466a7b24304f47e87fa2e1e5a81b9831ce54fec19055ce277ca2f39ba42c4.
//
// Solidity: event Deposited(address indexed account, uint256 amount)
func (_Market *MarketFilterer) WatchDeposited(opts *bind.WatchOpts, sink chan<- *MarketDeposited, account []common.Address) (event.Subscription, error) {

	var accountRule []interface{}
	for _, accountItem := range account {
		accountRule = append(accountRule, accountItem)
	}

	logs, sub, err := _Market.contract.WatchLogs(opts, "Deposited", accountRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MarketDeposited)
				if err := _Market.contract.UnpackLog(event, "Deposited", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseDeposited is a log parse operation binding the contract event 0x2da466a7b24304f47e87fa2e1e5a81b9831ce54fec19055ce277ca2f39ba42c4.
//
// Solidity: event Deposited(address indexed account, uint256 amount)
func (_Market *MarketFilterer) ParseDeposited(log types.Log) (*MarketDeposited, error) {
	event := new(MarketDeposited)
	if err := _Market.contract.UnpackLog(event, "Deposited", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MarketManifestUpdatedIterator is returned from FilterManifestUpdated and is used to iterate over the raw logs and unpacked data for ManifestUpdated events raised by the Market contract.
type MarketManifestUpdatedIterator struct {
	Event *MarketManifestUpdated // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MarketManifestUpdatedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MarketManifestUpdated)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MarketManifestUpdated)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MarketManifestUpdatedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MarketManifestUpdatedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MarketManifestUpdated represents a ManifestUpdated event raised by the Market contract.
type MarketManifestUpdated struct {
	Id           *big.Int
	PreviousHash [32]byte
	ManifestHash [32]byte
	Raw          types.Log // Blockchain specific contextual infos
}

// FilterManifestUpdated is a free log retrieval operation binding the contract event 0x5bf003c4f269ade5e257575a21c8c919f1d6e18824019f9fda99fb92550b0294.
//
// Solidity: event ManifestUpdated(uint256 indexed id, bytes32 previousHash, bytes32 manifestHash)
func (_Market *MarketFilterer) FilterManifestUpdated(opts *bind.FilterOpts, id []*big.Int) (*MarketManifestUpdatedIterator, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}

	logs, sub, err := _Market.contract.FilterLogs(opts, "ManifestUpdated", idRule)
	if err != nil {
		return nil, err
	}
	return &MarketManifestUpdatedIterator{contract: _Market.contract, event: "ManifestUpdated", logs: logs, sub: sub}, nil
}

// WatchManifestUpdated is a free log subscription operation binding the contract event 0x5bf003c4f269ade5e257575a21c8c919f1d6e18824019f9fda99fb92550b0294.
//
// Solidity: event ManifestUpdated(uint256 indexed id, bytes32 previousHash, bytes32 manifestHash)
func (_Market *MarketFilterer) WatchManifestUpdated(opts *bind.WatchOpts, sink chan<- *MarketManifestUpdated, id []*big.Int) (event.Subscription, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}

	logs, sub, err := _Market.contract.WatchLogs(opts, "ManifestUpdated", idRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MarketManifestUpdated)
				if err := _Market.contract.UnpackLog(event, "ManifestUpdated", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseManifestUpdated is a log parse operation binding the contract event 0x5bf003c4f269ade5e257575a21c8c919f1d6e18824019f9fda99fb92550b0294.
//
// Solidity: event ManifestUpdated(uint256 indexed id, bytes32 previousHash, bytes32 manifestHash)
func (_Market *MarketFilterer) ParseManifestUpdated(log types.Log) (*MarketManifestUpdated, error) {
	event := new(MarketManifestUpdated)
	if err := _Market.contract.UnpackLog(event, "ManifestUpdated", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MarketOrderCancelledIterator is returned from FilterOrderCancelled and is used to iterate over the raw logs and unpacked data for OrderCancelled events raised by the Market contract.
type MarketOrderCancelledIterator struct {
	Event *MarketOrderCancelled // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MarketOrderCancelledIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MarketOrderCancelled)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MarketOrderCancelled)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MarketOrderCancelledIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MarketOrderCancelledIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MarketOrderCancelled represents a OrderCancelled event raised by the Market contract.
type MarketOrderCancelled struct {
	Id           *big.Int
	ProviderPaid *big.Int
	BuyerRefund  *big.Int
	Raw          types.Log // Blockchain specific contextual infos
}

// FilterOrderCancelled is a free log retrieval operation binding the contract event 0xbf07d165e3fa9ba685a3edcfb3fcc9d646b5c9dae990a0848da1bb47cb2e5734.
//
// Solidity: event OrderCancelled(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund)
func (_Market *MarketFilterer) FilterOrderCancelled(opts *bind.FilterOpts, id []*big.Int) (*MarketOrderCancelledIterator, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}

	logs, sub, err := _Market.contract.FilterLogs(opts, "OrderCancelled", idRule)
	if err != nil {
		return nil, err
	}
	return &MarketOrderCancelledIterator{contract: _Market.contract, event: "OrderCancelled", logs: logs, sub: sub}, nil
}

// WatchOrderCancelled is a free log subscription operation binding the contract event 0xbf07d165e3fa9ba685a3edcfb3fcc9d646b5c9dae990a0848da1bb47cb2e5734.
//
// Solidity: event OrderCancelled(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund)
func (_Market *MarketFilterer) WatchOrderCancelled(opts *bind.WatchOpts, sink chan<- *MarketOrderCancelled, id []*big.Int) (event.Subscription, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}

	logs, sub, err := _Market.contract.WatchLogs(opts, "OrderCancelled", idRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MarketOrderCancelled)
				if err := _Market.contract.UnpackLog(event, "OrderCancelled", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseOrderCancelled is a log parse operation binding the contract event 0xbf07d165e3fa9ba685a3edcfb3fcc9d646b5c9dae990a0848da1bb47cb2e5734.
//
// Solidity: event OrderCancelled(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund)
func (_Market *MarketFilterer) ParseOrderCancelled(log types.Log) (*MarketOrderCancelled, error) {
	event := new(MarketOrderCancelled)
	if err := _Market.contract.UnpackLog(event, "OrderCancelled", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MarketOrderClosedIterator is returned from FilterOrderClosed and is used to iterate over the raw logs and unpacked data for OrderClosed events raised by the Market contract.
type MarketOrderClosedIterator struct {
	Event *MarketOrderClosed // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MarketOrderClosedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MarketOrderClosed)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MarketOrderClosed)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MarketOrderClosedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MarketOrderClosedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MarketOrderClosed represents a OrderClosed event raised by the Market contract.
type MarketOrderClosed struct {
	Id           *big.Int
	ProviderPaid *big.Int
	BuyerRefund  *big.Int
	Raw          types.Log // Blockchain specific contextual infos
}

// FilterOrderClosed is a free log retrieval operation binding the contract event 0x016814bc84e7fcf63bddbbe1fa159e54dda9b63f6f9ee1f73ce2f10a2e6c2a5d.
//
// Solidity: event OrderClosed(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund)
func (_Market *MarketFilterer) FilterOrderClosed(opts *bind.FilterOpts, id []*big.Int) (*MarketOrderClosedIterator, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}

	logs, sub, err := _Market.contract.FilterLogs(opts, "OrderClosed", idRule)
	if err != nil {
		return nil, err
	}
	return &MarketOrderClosedIterator{contract: _Market.contract, event: "OrderClosed", logs: logs, sub: sub}, nil
}

// WatchOrderClosed is a free log subscription operation binding the contract event 0x016814bc84e7fcf63bddbbe1fa159e54dda9b63f6f9ee1f73ce2f10a2e6c2a5d.
//
// Solidity: event OrderClosed(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund)
func (_Market *MarketFilterer) WatchOrderClosed(opts *bind.WatchOpts, sink chan<- *MarketOrderClosed, id []*big.Int) (event.Subscription, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}

	logs, sub, err := _Market.contract.WatchLogs(opts, "OrderClosed", idRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MarketOrderClosed)
				if err := _Market.contract.UnpackLog(event, "OrderClosed", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseOrderClosed is a log parse operation binding the contract event 0x016814bc84e7fcf63bddbbe1fa159e54dda9b63f6f9ee1f73ce2f10a2e6c2a5d.
//
// Solidity: event OrderClosed(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund)
func (_Market *MarketFilterer) ParseOrderClosed(log types.Log) (*MarketOrderClosed, error) {
	event := new(MarketOrderClosed)
	if err := _Market.contract.UnpackLog(event, "OrderClosed", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MarketOrderCreatedIterator is returned from FilterOrderCreated and is used to iterate over the raw logs and unpacked data for OrderCreated events raised by the Market contract.
type MarketOrderCreatedIterator struct {
	Event *MarketOrderCreated // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MarketOrderCreatedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MarketOrderCreated)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MarketOrderCreated)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MarketOrderCreatedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MarketOrderCreatedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MarketOrderCreated represents a OrderCreated event raised by the Market contract.
type MarketOrderCreated struct {
	Id           *big.Int
	Provider     common.Address
	Buyer        common.Address
	Payee        common.Address
	Resources    MarketResources
	Escrow       *big.Int
	ManifestHash [32]byte
	Start        uint64
	End          uint64
	Raw          types.Log // Blockchain specific contextual infos
}

// FilterOrderCreated is a free log retrieval operation binding the contract event 0xe83626cab44cc8cd8b492ad5f869c8598c322a6d7017c7bb582a0c94a9f2ea63.
//
// Solidity: event OrderCreated(uint256 indexed id, address indexed provider, address indexed buyer, address payee, (uint64,uint64,uint64,uint32) resources, uint256 escrow, bytes32 manifestHash, uint64 start, uint64 end)
func (_Market *MarketFilterer) FilterOrderCreated(opts *bind.FilterOpts, id []*big.Int, provider []common.Address, buyer []common.Address) (*MarketOrderCreatedIterator, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}
	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}

	logs, sub, err := _Market.contract.FilterLogs(opts, "OrderCreated", idRule, providerRule, buyerRule)
	if err != nil {
		return nil, err
	}
	return &MarketOrderCreatedIterator{contract: _Market.contract, event: "OrderCreated", logs: logs, sub: sub}, nil
}

// WatchOrderCreated is a free log subscription operation binding the contract event 0xe83626cab44cc8cd8b492ad5f869c8598c322a6d7017c7bb582a0c94a9f2ea63.
//
// Solidity: event OrderCreated(uint256 indexed id, address indexed provider, address indexed buyer, address payee, (uint64,uint64,uint64,uint32) resources, uint256 escrow, bytes32 manifestHash, uint64 start, uint64 end)
func (_Market *MarketFilterer) WatchOrderCreated(opts *bind.WatchOpts, sink chan<- *MarketOrderCreated, id []*big.Int, provider []common.Address, buyer []common.Address) (event.Subscription, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}
	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var buyerRule []interface{}
	for _, buyerItem := range buyer {
		buyerRule = append(buyerRule, buyerItem)
	}

	logs, sub, err := _Market.contract.WatchLogs(opts, "OrderCreated", idRule, providerRule, buyerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MarketOrderCreated)
				if err := _Market.contract.UnpackLog(event, "OrderCreated", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseOrderCreated is a log parse operation binding the contract event 0xe83626cab44cc8cd8b492ad5f869c8598c322a6d7017c7bb582a0c94a9f2ea63.
//
// Solidity: event OrderCreated(uint256 indexed id, address indexed provider, address indexed buyer, address payee, (uint64,uint64,uint64,uint32) resources, uint256 escrow, bytes32 manifestHash, uint64 start, uint64 end)
func (_Market *MarketFilterer) ParseOrderCreated(log types.Log) (*MarketOrderCreated, error) {
	event := new(MarketOrderCreated)
	if err := _Market.contract.UnpackLog(event, "OrderCreated", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MarketOrderExtendedIterator is returned from FilterOrderExtended and is used to iterate over the raw logs and unpacked data for OrderExtended events raised by the Market contract.
type MarketOrderExtendedIterator struct {
	Event *MarketOrderExtended // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MarketOrderExtendedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MarketOrderExtended)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MarketOrderExtended)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MarketOrderExtendedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MarketOrderExtendedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MarketOrderExtended represents a OrderExtended event raised by the Market contract.
type MarketOrderExtended struct {
	Id          *big.Int
	AddedEscrow *big.Int
	End         uint64
	Raw         types.Log // Blockchain specific contextual infos
}

// FilterOrderExtended is a free log retrieval operation binding the contract event 0x85f56e82e517c094e72b64f90e738414f01d93b78e9367d272c37bd596ee0ace.
//
// Solidity: event OrderExtended(uint256 indexed id, uint256 addedEscrow, uint64 end)
func (_Market *MarketFilterer) FilterOrderExtended(opts *bind.FilterOpts, id []*big.Int) (*MarketOrderExtendedIterator, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}

	logs, sub, err := _Market.contract.FilterLogs(opts, "OrderExtended", idRule)
	if err != nil {
		return nil, err
	}
	return &MarketOrderExtendedIterator{contract: _Market.contract, event: "OrderExtended", logs: logs, sub: sub}, nil
}

// WatchOrderExtended is a free log subscription operation binding the contract event 0x85f56e82e517c094e72b64f90e738414f01d93b78e9367d272c37bd596ee0ace.
//
// Solidity: event OrderExtended(uint256 indexed id, uint256 addedEscrow, uint64 end)
func (_Market *MarketFilterer) WatchOrderExtended(opts *bind.WatchOpts, sink chan<- *MarketOrderExtended, id []*big.Int) (event.Subscription, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}

	logs, sub, err := _Market.contract.WatchLogs(opts, "OrderExtended", idRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MarketOrderExtended)
				if err := _Market.contract.UnpackLog(event, "OrderExtended", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseOrderExtended is a log parse operation binding the contract event 0x85f56e82e517c094e72b64f90e738414f01d93b78e9367d272c37bd596ee0ace.
//
// Solidity: event OrderExtended(uint256 indexed id, uint256 addedEscrow, uint64 end)
func (_Market *MarketFilterer) ParseOrderExtended(log types.Log) (*MarketOrderExtended, error) {
	event := new(MarketOrderExtended)
	if err := _Market.contract.UnpackLog(event, "OrderExtended", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MarketOrderSettledIterator is returned from FilterOrderSettled and is used to iterate over the raw logs and unpacked data for OrderSettled events raised by the Market contract.
type MarketOrderSettledIterator struct {
	Event *MarketOrderSettled // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MarketOrderSettledIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MarketOrderSettled)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MarketOrderSettled)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MarketOrderSettledIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MarketOrderSettledIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MarketOrderSettled represents a OrderSettled event raised by the Market contract.
type MarketOrderSettled struct {
	Id           *big.Int
	ProviderPaid *big.Int
	BuyerRefund  *big.Int
	Raw          types.Log // Blockchain specific contextual infos
}

// FilterOrderSettled is a free log retrieval operation binding the contract event 0x85cfa59b37ef08d44800b8e9a0e42a4f61d204f2874d003adf5bc10c1c39b062.
//
// Solidity: event OrderSettled(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund)
func (_Market *MarketFilterer) FilterOrderSettled(opts *bind.FilterOpts, id []*big.Int) (*MarketOrderSettledIterator, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}

	logs, sub, err := _Market.contract.FilterLogs(opts, "OrderSettled", idRule)
	if err != nil {
		return nil, err
	}
	return &MarketOrderSettledIterator{contract: _Market.contract, event: "OrderSettled", logs: logs, sub: sub}, nil
}

// WatchOrderSettled is a free log subscription operation binding the contract event 0x85cfa59b37ef08d44800b8e9a0e42a4f61d204f2874d003adf5bc10c1c39b062.
//
// Solidity: event OrderSettled(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund)
func (_Market *MarketFilterer) WatchOrderSettled(opts *bind.WatchOpts, sink chan<- *MarketOrderSettled, id []*big.Int) (event.Subscription, error) {

	var idRule []interface{}
	for _, idItem := range id {
		idRule = append(idRule, idItem)
	}

	logs, sub, err := _Market.contract.WatchLogs(opts, "OrderSettled", idRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MarketOrderSettled)
				if err := _Market.contract.UnpackLog(event, "OrderSettled", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseOrderSettled is a log parse operation binding the contract event 0x85cfa59b37ef08d44800b8e9a0e42a4f61d204f2874d003adf5bc10c1c39b062.
//
// Solidity: event OrderSettled(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund)
func (_Market *MarketFilterer) ParseOrderSettled(log types.Log) (*MarketOrderSettled, error) {
	event := new(MarketOrderSettled)
	if err := _Market.contract.UnpackLog(event, "OrderSettled", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// MarketWithdrawnIterator is returned from FilterWithdrawn and is used to iterate over the raw logs and unpacked data for Withdrawn events raised by the Market contract.
type MarketWithdrawnIterator struct {
	Event *MarketWithdrawn // Event containing the contract specifics and raw log

	contract *bind.BoundContract // Generic contract to use for unpacking event data
	event    string              // Event name to use for unpacking event data

	logs chan types.Log        // Log channel receiving the found contract events
	sub  ethereum.Subscription // Subscription for errors, completion and termination
	done bool                  // Whether the subscription completed delivering logs
	fail error                 // Occurred error to stop iteration
}

// Next advances the iterator to the subsequent event, returning whether there
// are any more events found. In case of a retrieval or parsing error, false is
// returned and Error() can be queried for the exact failure.
func (it *MarketWithdrawnIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(MarketWithdrawn)
			if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
				it.fail = err
				return false
			}
			it.Event.Raw = log
			return true

		default:
			return false
		}
	}
	// Iterator still in progress, wait for either a data or an error event
	select {
	case log := <-it.logs:
		it.Event = new(MarketWithdrawn)
		if err := it.contract.UnpackLog(it.Event, it.event, log); err != nil {
			it.fail = err
			return false
		}
		it.Event.Raw = log
		return true

	case err := <-it.sub.Err():
		it.done = true
		it.fail = err
		return it.Next()
	}
}

// Error returns any retrieval or parsing error occurred during filtering.
func (it *MarketWithdrawnIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *MarketWithdrawnIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// MarketWithdrawn represents a Withdrawn event raised by the Market contract.
type MarketWithdrawn struct {
	Account common.Address
	Amount  *big.Int
	Raw     types.Log // Blockchain specific contextual infos
}

// FilterWithdrawn is a free log retrieval operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed account, uint256 amount)
func (_Market *MarketFilterer) FilterWithdrawn(opts *bind.FilterOpts, account []common.Address) (*MarketWithdrawnIterator, error) {

	var accountRule []interface{}
	for _, accountItem := range account {
		accountRule = append(accountRule, accountItem)
	}

	logs, sub, err := _Market.contract.FilterLogs(opts, "Withdrawn", accountRule)
	if err != nil {
		return nil, err
	}
	return &MarketWithdrawnIterator{contract: _Market.contract, event: "Withdrawn", logs: logs, sub: sub}, nil
}

// WatchWithdrawn is a free log subscription operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed account, uint256 amount)
func (_Market *MarketFilterer) WatchWithdrawn(opts *bind.WatchOpts, sink chan<- *MarketWithdrawn, account []common.Address) (event.Subscription, error) {

	var accountRule []interface{}
	for _, accountItem := range account {
		accountRule = append(accountRule, accountItem)
	}

	logs, sub, err := _Market.contract.WatchLogs(opts, "Withdrawn", accountRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(MarketWithdrawn)
				if err := _Market.contract.UnpackLog(event, "Withdrawn", log); err != nil {
					// If the signature doesn't match, skip this log.
					if errors.Is(err, bind.ErrEventSignatureMismatch) {
						continue
					}
					return err
				}
				event.Raw = log

				select {
				case sink <- event:
				case err := <-sub.Err():
					return err
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	}), nil
}

// ParseWithdrawn is a log parse operation binding the contract event 0x7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5.
//
// Solidity: event Withdrawn(address indexed account, uint256 amount)
func (_Market *MarketFilterer) ParseWithdrawn(log types.Log) (*MarketWithdrawn, error) {
	event := new(MarketWithdrawn)
	if err := _Market.contract.UnpackLog(event, "Withdrawn", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}
