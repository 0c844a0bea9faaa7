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
	ABI: "[{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token_\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"registry_\",\"type\":\"address\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"BatchTooLarge\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"max\",\"type\":\"uint64\"}],\"name\":\"DurationTooLong\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"EmptyResources\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"EscrowTooLarge\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"available\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"required\",\"type\":\"uint256\"}],\"name\":\"InsufficientCredit\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotBuyer\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"OrderAlreadyCancelled\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"OrderAlreadySettled\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"}],\"name\":\"OrderEnded\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"}],\"name\":\"OrderNotEnded\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ProviderNotRegistered\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ReentrancyGuardReentrantCall\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"token\",\"type\":\"address\"}],\"name\":\"SafeERC20FailedOperation\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"UnknownOrder\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAddress\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroAmount\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroDuration\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroEscrow\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroManifestHash\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Deposited\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"providerPaid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"buyerRefund\",\"type\":\"uint256\"}],\"name\":\"OrderCancelled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"}],\"indexed\":false,\"internalType\":\"structMarket.Resources\",\"name\":\"resources\",\"type\":\"tuple\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"},{\"indexed\":false,\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"}],\"name\":\"OrderCreated\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"providerPaid\",\"type\":\"uint256\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"buyerRefund\",\"type\":\"uint256\"}],\"name\":\"OrderSettled\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Withdrawn\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"GIB\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_BATCH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_DURATION\",\"outputs\":[{\"internalType\":\"uint64\",\"name\":\"\",\"type\":\"uint64\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MIB\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"cancel\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"}],\"internalType\":\"structMarket.Resources\",\"name\":\"resources\",\"type\":\"tuple\"},{\"internalType\":\"uint64\",\"name\":\"duration\",\"type\":\"uint64\"},{\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"}],\"name\":\"createOrder\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"account\",\"type\":\"address\"}],\"name\":\"creditOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"deposit\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"getOrder\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"buyer\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"payee\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"}],\"internalType\":\"structMarket.Resources\",\"name\":\"resources\",\"type\":\"tuple\"},{\"internalType\":\"uint64\",\"name\":\"start\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"end\",\"type\":\"uint64\"},{\"internalType\":\"uint256\",\"name\":\"escrow\",\"type\":\"uint256\"},{\"internalType\":\"bytes32\",\"name\":\"manifestHash\",\"type\":\"bytes32\"},{\"internalType\":\"enumMarket.Status\",\"name\":\"status\",\"type\":\"uint8\"}],\"internalType\":\"structMarket.OrderView\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"isActive\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"orderCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"registry\",\"outputs\":[{\"internalType\":\"contractRegistry\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"id\",\"type\":\"uint256\"}],\"name\":\"settle\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256[]\",\"name\":\"ids\",\"type\":\"uint256[]\"}],\"name\":\"settleBatch\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"settled\",\"type\":\"uint256\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"token\",\"outputs\":[{\"internalType\":\"contractIERC20\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"withdraw\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x60c060405234801561000f575f5ffd5b5060405161215838038061215883398101604081905261002e9161009b565b6001600160a01b038216158061004b57506001600160a01b038116155b156100695760405163d92e233d60e01b815260040160405180910390fd5b6001600160a01b039182166080521660a0526100cc565b80516001600160a01b0381168114610096575f5ffd5b919050565b5f5f604083850312156100ac575f5ffd5b6100b583610080565b91506100c360208401610080565b90509250929050565b60805160a0516120566101025f395f81816101a40152610e4201525f8181610298015281816103b20152610a4e01526120565ff3fe608060405234801561000f575f5ffd5b50600436106100fb575f3560e01c806382afd23b11610093578063b6b55f2511610063578063b6b55f251461024d578063d09ef24114610260578063f9c4e72f14610280578063fc0c546a14610293575f5ffd5b806382afd23b146101eb5780638df828001461020e578063950bff9f14610221578063b1724b4614610229575f5ffd5b8063630693cb116100ce578063630693cb1461014d5780636c92e5f214610157578063758072501461016a5780637b1039991461019f575f5ffd5b80630a39676f146100ff5780632453ffa81461011d5780632e1a7d4d1461012557806340e58ee51461013a575b5f5ffd5b61010a634000000081565b6040519081526020015b60405180910390f35b60025461010a565b6101386101333660046119fb565b6102ba565b005b6101386101483660046119fb565b6103e5565b61010a6210000081565b61010a610165366004611a12565b6105b8565b61010a610178366004611aa4565b73ffffffffffffffffffffffffffffffffffffffff165f9081526020819052604090205490565b6101c67f000000000000000000000000000000000000000000000000000000000000000081565b60405173ffffffffffffffffffffffffffffffffffffffff9091168152602001610114565b6101fe6101f93660046119fb565b610781565b6040519015158152602001610114565b61013861021c3660046119fb565b61082e565b61010a606481565b6102346301e1338081565b60405167ffffffffffffffff9091168152602001610114565b61013861025b3660046119fb565b61099b565b61027361026e3660046119fb565b610a7e565b6040516101149190611b25565b61010a61028e366004611c4e565b610c64565b6101c67f000000000000000000000000000000000000000000000000000000000000000081565b6102c2611536565b805f036102fb576040517f1f2a200500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b335f9081526020819052604090205480821115610353576040517f4eb7eaec00000000000000000000000000000000000000000000000000000000815260048101829052602481018390526044015b60405180910390fd5b335f8181526020818152604091829020858503905590518481527f7084f5476618d8e60b11ef0d7d3f06914655adb8793e28ff7f018d4c76d505d5910160405180910390a26103d973ffffffffffffffffffffffffffffffffffffffff7f000000000000000000000000000000000000000000000000000000000000000016338461156d565b506103e26115cd565b50565b6103ed611536565b5f818152600160208190526040909120805490917e0100000000000000000000000000000000000000000000000000000000000090910460ff169081600381111561043a5761043a611abf565b146104495761044983826115f7565b815473ffffffffffffffffffffffffffffffffffffffff1633146104a2576040517f8f1e0b3a0000000000000000000000000000000000000000000000000000000081526004810184905233602482015260440161034a565b8154790100000000000000000000000000000000000000000000000000900464ffffffffff16428111610511576040517f10f500130000000000000000000000000000000000000000000000000000000081526004810185905264ffffffffff8216602482015260440161034a565b82547fff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff167e020000000000000000000000000000000000000000000000000000000000001783555f8061056485426116c7565b91509150857fbf07d165e3fa9ba685a3edcfb3fcc9d646b5c9dae990a0848da1bb47cb2e573483836040516105a3929190918252602082015260400190565b60405180910390a250505050506103e26115cd565b5f6105c1611536565b816064811115610607576040517fbb1cb70b000000000000000000000000000000000000000000000000000000008152600481018290526064602482015260440161034a565b5f5b81811015610771575f85858381811061062457610624611cc1565b602090810292909201355f8181526001938490526040902090935091905081547e01000000000000000000000000000000000000000000000000000000000000900460ff16600381111561067a5761067a611abf565b14610686575050610769565b8054790100000000000000000000000000000000000000000000000000900464ffffffffff16428111156106bc57505050610769565b81547fff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff167e030000000000000000000000000000000000000000000000000000000000001782555f806107168464ffffffffff85166116c7565b91509150847f85cfa59b37ef08d44800b8e9a0e42a4f61d204f2874d003adf5bc10c1c39b0628383604051610755929190918252602082015260400190565b60405180910390a287600101975050505050505b600101610609565b505061077b6115cd565b92915050565b5f81815260016020819052604082209081547e01000000000000000000000000000000000000000000000000000000000000900460ff1660038111156107c9576107c9611abf565b1480156107f757508054427401000000000000000000000000000000000000000090910464ffffffffff1611155b801561082757508054790100000000000000000000000000000000000000000000000000900464ffffffffff1642105b9392505050565b610836611536565b5f818152600160208190526040909120805490917e0100000000000000000000000000000000000000000000000000000000000090910460ff169081600381111561088357610883611abf565b146108925761089283826115f7565b8154790100000000000000000000000000000000000000000000000000900464ffffffffff1642811115610902576040517f132a897b0000000000000000000000000000000000000000000000000000000081526004810185905264ffffffffff8216602482015260440161034a565b82547fff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff167e030000000000000000000000000000000000000000000000000000000000001783555f8061095c8564ffffffffff85166116c7565b91509150857f85cfa59b37ef08d44800b8e9a0e42a4f61d204f2874d003adf5bc10c1c39b06283836040516105a3929190918252602082015260400190565b6109a3611536565b805f036109dc576040517f1f2a200500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b335f90815260208190526040812080548392906109fa908490611d1b565b909155505060405181815233907f2da466a7b24304f47e87fa2e1e5a81b9831ce54fec19055ce277ca2f39ba42c49060200160405180910390a2610a7673ffffffffffffffffffffffffffffffffffffffff7f0000000000000000000000000000000000000000000000000000000000000000163330846117f2565b6103e26115cd565b60408051610120810182525f8082526020808301829052828401829052835160808082018652838252918101839052938401829052606080850183905283019390935291810182905260a0810182905260c0810182905260e081018290526101008101919091525f82815260016020818152604092839020835161012081018552815473ffffffffffffffffffffffffffffffffffffffff80821683526002840154811683860152948301549485168287015285516080808201885260038086015467ffffffffffffffff8082168552680100000000000000008204811698850198909852700100000000000000000000000000000000810490971698830198909852780100000000000000000000000000000000000000000000000090950463ffffffff166060808301919091528301527401000000000000000000000000000000000000000080820464ffffffffff90811695840195909552790100000000000000000000000000000000000000000000000000820490941660a0830152929093046bffffffffffffffffffffffff1660c0840152600481015460e0840152926101008301917e01000000000000000000000000000000000000000000000000000000000000900460ff1690811115610c5b57610c5b611abf565b90529392505050565b5f610c6d611536565b81610ca4576040517f5ef6dfcc00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b8267ffffffffffffffff165f03610ce7576040517f68d5686e00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6301e1338067ffffffffffffffff84161115610d45576040517f2ed50ced00000000000000000000000000000000000000000000000000000000815267ffffffffffffffff841660048201526301e13380602482015260440161034a565b610d526020850185611d2e565b67ffffffffffffffff16158015610d805750610d746040850160208601611d2e565b67ffffffffffffffff16155b8015610da35750610d976060850160408601611d2e565b67ffffffffffffffff16155b8015610dc25750610dba6080850160608601611d5a565b63ffffffff16155b15610df9576040517f763a7dd500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6040517fc8c819ac00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff86811660048301525f9182917f0000000000000000000000000000000000000000000000000000000000000000169063c8c819ac9060240160a060405180830381865afa158015610e87573d5f5f3e3d5ffd5b505050506040513d601f19601f82011682018060405250810190610eab9190611de0565b909250905073ffffffffffffffffffffffffffffffffffffffff8216610f15576040517f232cb27a00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8816600482015260240161034a565b5f81606001516fffffffffffffffffffffffffffffffff16876060016020810190610f409190611d5a565b63ffffffff16610f509190611e83565b82604001516fffffffffffffffffffffffffffffffff16610f87896040016020810190610f7d9190611d2e565b6340000000611854565b610f919190611e83565b83602001516fffffffffffffffffffffffffffffffff16610fc78a6020016020810190610fbe9190611d2e565b62100000611854565b610fd19190611e83565b84516fffffffffffffffffffffffffffffffff16610ff260208c018c611d2e565b67ffffffffffffffff166110069190611e83565b6110109190611d1b565b61101a9190611d1b565b6110249190611d1b565b90505f61103b67ffffffffffffffff881683611e83565b9050805f03611076576040517fe9d1aa8500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6bffffffffffffffffffffffff8111156110d1576040517ff16a3ff1000000000000000000000000000000000000000000000000000000008152600481018290526bffffffffffffffffffffffff602482015260440161034a565b335f9081526020819052604090205480821115611124576040517f4eb7eaec000000000000000000000000000000000000000000000000000000008152600481018290526024810183905260440161034a565b335f90815260208190526040812083830390556002805460010190819055965042906111508a83611e9a565b604080516101208101825233815264ffffffffff8086166020830152831691810191909152909150606081016001815273ffffffffffffffffffffffffffffffffffffffff808a1660208301526bffffffffffffffffffffffff871660408301528e1660608201526080016111ca368e90038e018e611eb7565b815260209081018b90525f8a81526001825260409081902083518154938501519285015164ffffffffff908116790100000000000000000000000000000000000000000000000000027fffff0000000000ffffffffffffffffffffffffffffffffffffffffffffffffff9190941674010000000000000000000000000000000000000000027fffffffffffffff0000000000000000000000000000000000000000000000000090951673ffffffffffffffffffffffffffffffffffffffff90921691909117939093179283168217815560608401519092909183917fff00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff9091167fff000000000000ffffffffffffffffffffffffffffffffffffffffffffffffff909116177e0100000000000000000000000000000000000000000000000000000000000083600381111561132057611320611abf565b02179055506080820151816001015f6101000a81548173ffffffffffffffffffffffffffffffffffffffff021916908373ffffffffffffffffffffffffffffffffffffffff16021790555060a08201518160010160146101000a8154816bffffffffffffffffffffffff02191690836bffffffffffffffffffffffff16021790555060c0820151816002015f6101000a81548173ffffffffffffffffffffffffffffffffffffffff021916908373ffffffffffffffffffffffffffffffffffffffff16021790555060e0820151816003015f820151815f015f6101000a81548167ffffffffffffffff021916908367ffffffffffffffff1602179055506020820151815f0160086101000a81548167ffffffffffffffff021916908367ffffffffffffffff1602179055506040820151815f0160106101000a81548167ffffffffffffffff021916908367ffffffffffffffff1602179055506060820151815f0160186101000a81548163ffffffff021916908363ffffffff160217905550505061010082015181600401559050503373ffffffffffffffffffffffffffffffffffffffff168c73ffffffffffffffffffffffffffffffffffffffff16897fe83626cab44cc8cd8b492ad5f869c8598c322a6d7017c7bb582a0c94a9f2ea638a8f898f898960405161151796959493929190611f16565b60405180910390a45050505050505061152e6115cd565b949350505050565b61153e611880565b61156b60017f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005b906118d9565b565b61157a83838360016118e0565b6115c8576040517f5274afe700000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8416600482015260240161034a565b505050565b61156b5f7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f00611565565b5f81600381111561160a5761160a611abf565b03611644576040517f40ddeab20000000000000000000000000000000000000000000000000000000081526004810183905260240161034a565b600281600381111561165857611658611abf565b03611692576040517ff23ffb580000000000000000000000000000000000000000000000000000000081526004810183905260240161034a565b6040517fcf399b910000000000000000000000000000000000000000000000000000000081526004810183905260240161034a565b81545f90819064ffffffffff740100000000000000000000000000000000000000008204811691839161171a91849179010000000000000000000000000000000000000000000000000090910416611fd1565b60018701549091507401000000000000000000000000000000000000000090046bffffffffffffffffffffffff168183870382028161175b5761175b611fe4565b049450848103935084156117a757600187015473ffffffffffffffffffffffffffffffffffffffff165f90815260208190526040812080548792906117a1908490611d1b565b90915550505b83156117e857865473ffffffffffffffffffffffffffffffffffffffff165f90815260208190526040812080548692906117e2908490611d1b565b90915550505b5050509250929050565b611800848484846001611968565b61184e576040517f5274afe700000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff8516600482015260240161034a565b50505050565b5f81600161186c8267ffffffffffffffff8716611d1b565b6118769190611fd1565b6108279190612011565b7f9b779b17422d0df92223018b32b4d1fa46e071723d6817e2486d003becc55f005c1561156b576040517f3ee5aeb500000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b80825d5050565b6040517fa9059cbb000000000000000000000000000000000000000000000000000000005f81815273ffffffffffffffffffffffffffffffffffffffff8616600452602485905291602083604481808b5af1925060015f5114831661195c578383151615611950573d5f823e3d81fd5b5f873b113d1516831692505b60405250949350505050565b6040517f23b872dd000000000000000000000000000000000000000000000000000000005f81815273ffffffffffffffffffffffffffffffffffffffff8781166004528616602452604485905291602083606481808c5af1925060015f511483166119ea5783831516156119de573d5f823e3d81fd5b5f883b113d1516831692505b604052505f60605295945050505050565b5f60208284031215611a0b575f5ffd5b5035919050565b5f5f60208385031215611a23575f5ffd5b823567ffffffffffffffff811115611a39575f5ffd5b8301601f81018513611a49575f5ffd5b803567ffffffffffffffff811115611a5f575f5ffd5b8560208260051b8401011115611a73575f5ffd5b6020919091019590945092505050565b73ffffffffffffffffffffffffffffffffffffffff811681146103e2575f5ffd5b5f60208284031215611ab4575f5ffd5b813561082781611a83565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b60048110611b21577f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b9052565b815173ffffffffffffffffffffffffffffffffffffffff168152602080830151610180830191611b6c9084018273ffffffffffffffffffffffffffffffffffffffff169052565b506040830151611b94604084018273ffffffffffffffffffffffffffffffffffffffff169052565b50606083810151805167ffffffffffffffff9081168584015260208201518116608086015260408201511660a08501529081015163ffffffff1660c084015250608083015167ffffffffffffffff811660e08401525060a083015167ffffffffffffffff81166101008401525060c083015161012083015260e0830151610140830152610100830151611c2b610160840182611aec565b5092915050565b803567ffffffffffffffff81168114611c49575f5ffd5b919050565b5f5f5f5f84860360e0811215611c62575f5ffd5b8535611c6d81611a83565b945060807fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe082011215611c9e575f5ffd5b50602085019250611cb160a08601611c32565b9396929550929360c00135925050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b8082018082111561077b5761077b611cee565b5f60208284031215611d3e575f5ffd5b61082782611c32565b803563ffffffff81168114611c49575f5ffd5b5f60208284031215611d6a575f5ffd5b61082782611d47565b6040516080810167ffffffffffffffff81118282101715611dbb577f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b60405290565b80516fffffffffffffffffffffffffffffffff81168114611c49575f5ffd5b5f5f82840360a0811215611df2575f5ffd5b8351611dfd81611a83565b925060807fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe082011215611e2e575f5ffd5b50611e37611d73565b611e4360208501611dc1565b8152611e5160408501611dc1565b6020820152611e6260608501611dc1565b6040820152611e7360808501611dc1565b6060820152809150509250929050565b808202811582820484141761077b5761077b611cee565b64ffffffffff818116838216019081111561077b5761077b611cee565b5f6080828403128015611ec8575f5ffd5b50611ed1611d73565b611eda83611c32565b8152611ee860208401611c32565b6020820152611ef960408401611c32565b6040820152611f0a60608401611d47565b60608201529392505050565b73ffffffffffffffffffffffffffffffffffffffff87168152610120810167ffffffffffffffff611f4688611c32565b16602083015267ffffffffffffffff611f6160208901611c32565b16604083015267ffffffffffffffff611f7c60408901611c32565b16606083015263ffffffff611f9360608901611d47565b1660808301528560a08301528460c0830152611fb860e083018564ffffffffff169052565b64ffffffffff8316610100830152979650505050505050565b8181038181111561077b5761077b611cee565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601260045260245ffd5b5f82612044577f4e487b71000000000000000000000000000000000000000000000000000000005f52601260045260245ffd5b50049056fea164736f6c6343000825000a",
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

// CreateOrder is a paid mutator transaction binding the contract method 0xf9c4e72f.
//
// Solidity: function createOrder(address provider, (uint64,uint64,uint64,uint32) resources, uint64 duration, bytes32 manifestHash) returns(uint256 id)
func (_Market *MarketTransactor) CreateOrder(opts *bind.TransactOpts, provider common.Address, resources MarketResources, duration uint64, manifestHash [32]byte) (*types.Transaction, error) {
	return _Market.contract.Transact(opts, "createOrder", provider, resources, duration, manifestHash)
}

// CreateOrder is a paid mutator transaction binding the contract method 0xf9c4e72f.
//
// Solidity: function createOrder(address provider, (uint64,uint64,uint64,uint32) resources, uint64 duration, bytes32 manifestHash) returns(uint256 id)
func (_Market *MarketSession) CreateOrder(provider common.Address, resources MarketResources, duration uint64, manifestHash [32]byte) (*types.Transaction, error) {
	return _Market.Contract.CreateOrder(&_Market.TransactOpts, provider, resources, duration, manifestHash)
}

// CreateOrder is a paid mutator transaction binding the contract method 0xf9c4e72f.
//
// Solidity: function createOrder(address provider, (uint64,uint64,uint64,uint32) resources, uint64 duration, bytes32 manifestHash) returns(uint256 id)
func (_Market *MarketTransactorSession) CreateOrder(provider common.Address, resources MarketResources, duration uint64, manifestHash [32]byte) (*types.Transaction, error) {
	return _Market.Contract.CreateOrder(&_Market.TransactOpts, provider, resources, duration, manifestHash)
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
