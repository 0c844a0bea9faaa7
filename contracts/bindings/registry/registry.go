// Code generated - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package registry

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

// RegistryCapacity is an auto generated low-level Go binding around an user-defined struct.
type RegistryCapacity struct {
	CpuMillis    uint64
	MemoryBytes  uint64
	StorageBytes uint64
	Gpus         uint32
	GpuModel     string
}

// RegistryPrices is an auto generated low-level Go binding around an user-defined struct.
type RegistryPrices struct {
	CpuMilli   *big.Int
	MemoryMiB  *big.Int
	StorageGiB *big.Int
	Gpu        *big.Int
}

// RegistryProvider is an auto generated low-level Go binding around an user-defined struct.
type RegistryProvider struct {
	Owner    common.Address
	Url      string
	Region   string
	Capacity RegistryCapacity
	Prices   RegistryPrices
}

// RegistryMetaData contains all meta data concerning the Registry contract.
var RegistryMetaData = &bind.MetaData{
	ABI: "[{\"inputs\":[],\"name\":\"EmptyURL\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"GpuModelTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotProviderOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"limit\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"PageTooLarge\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ProviderAlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ProviderNotRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"ProviderTaken\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"RegionTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"URLTooLong\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroProvider\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"ProviderDeregistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"url\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"region\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"gpuModel\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structRegistry.Capacity\",\"name\":\"capacity\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"indexed\":false,\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"}],\"name\":\"ProviderRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"url\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"region\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"gpuModel\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structRegistry.Capacity\",\"name\":\"capacity\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"indexed\":false,\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"}],\"name\":\"ProviderUpdated\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_GPU_MODEL_LENGTH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_PAGE_SIZE\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_REGION_LENGTH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_URL_LENGTH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"deregister\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"getProvider\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"url\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"region\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"gpuModel\",\"type\":\"string\"}],\"internalType\":\"structRegistry.Capacity\",\"name\":\"capacity\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"}],\"internalType\":\"structRegistry.Provider\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"isRegistered\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ownerOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"pricesOf\",\"outputs\":[{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"internalType\":\"structRegistry.Prices\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"providerCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"offset\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"limit\",\"type\":\"uint256\"}],\"name\":\"providersPage\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"page\",\"type\":\"address[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"url\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"region\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"gpuModel\",\"type\":\"string\"}],\"internalType\":\"structRegistry.Capacity\",\"name\":\"capacity\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"terms\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"url\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"region\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"gpuModel\",\"type\":\"string\"}],\"internalType\":\"structRegistry.Capacity\",\"name\":\"capacity\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"}],\"name\":\"update\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x6080604052348015600e575f5ffd5b50611cff8061001c5f395ff3fe608060405234801561000f575f5ffd5b50600436106100e5575f3560e01c806374c8326811610088578063c3c5a54711610063578063c3c5a547146102ad578063c8c819ac146102f4578063cb71146e146103b8578063d070edaa14610262575f5ffd5b806374c832681461027f5780637ed459fc1461028757806384ac33ec1461029a575f5ffd5b806348f4da20116100c357806348f4da201461022c57806355f21eb714610242578063568a6836146102625780636696cc881461026a575f5ffd5b806314afd79e146100e957806314e420141461014b57806330b177cb1461020c575b5f5ffd5b6101216100f73660046110c7565b73ffffffffffffffffffffffffffffffffffffffff9081165f908152602081905260409020541690565b60405173ffffffffffffffffffffffffffffffffffffffff90911681526020015b60405180910390f35b6101ff6101593660046110c7565b604080516080810182525f8082526020820181905291810182905260608101919091525073ffffffffffffffffffffffffffffffffffffffff165f9081526020818152604091829020825160808101845260058201546fffffffffffffffffffffffffffffffff80821683527001000000000000000000000000000000009182900481169483019490945260069092015480841694820194909452920416606082015290565b60405161014291906110e7565b61021f61021a36600461115e565b6103c1565b604051610142919061117e565b610234606481565b604051908152602001610142565b6102556102503660046110c7565b610520565b6040516101429190611222565b610234604081565b61027d6102783660046113c3565b61086f565b005b600254610234565b61027d6102953660046113c3565b61090d565b61027d6102a83660046110c7565b610b58565b6102e46102bb3660046110c7565b73ffffffffffffffffffffffffffffffffffffffff165f90815260016020526040902054151590565b6040519015158152602001610142565b6103aa6103023660046110c7565b60408051608080820183525f8083526020808401829052838501829052606093840182905273ffffffffffffffffffffffffffffffffffffffff95861682528181529084902080548551938401865260058201546fffffffffffffffffffffffffffffffff8082168652700100000000000000000000000000000000918290048116948601949094526006909201548084169685019690965294041691810191909152911691565b6040516101429291906114aa565b61023461010081565b6060606482111561040d576040517f9048389400000000000000000000000000000000000000000000000000000000815260048101839052606460248201526044015b60405180910390fd5b60025480841061042c575050604080515f81526020810190915261051a565b5f6104378583611597565b9050838111156104445750825b8067ffffffffffffffff81111561045d5761045d61153d565b604051908082528060200260200182016040528015610486578160200160208202803683370190505b5092505f5b8181101561051657600261049f82886115aa565b815481106104af576104af6115bd565b905f5260205f20015f9054906101000a900473ffffffffffffffffffffffffffffffffffffffff168482815181106104e9576104e96115bd565b73ffffffffffffffffffffffffffffffffffffffff9092166020928302919091019091015260010161048b565b5050505b92915050565b6105906040805160a080820183525f80835260606020808501829052848601829052855193840186528284528301829052938201819052818401526080810183905290918201908152604080516080810182525f8082526020828101829052928201819052606082015291015290565b73ffffffffffffffffffffffffffffffffffffffff8083165f9081526020818152604091829020825160a0810190935280549093168252600183018054929392918401916105dd906115ea565b80601f0160208091040260200160405190810160405280929190818152602001828054610609906115ea565b80156106545780601f1061062b57610100808354040283529160200191610654565b820191905f5260205f20905b81548152906001019060200180831161063757829003601f168201915b5050505050815260200160028201805461066d906115ea565b80601f0160208091040260200160405190810160405280929190818152602001828054610699906115ea565b80156106e45780601f106106bb576101008083540402835291602001916106e4565b820191905f5260205f20905b8154815290600101906020018083116106c757829003601f168201915b50505091835250506040805160a08101825260038401805467ffffffffffffffff808216845268010000000000000000820481166020808601919091527001000000000000000000000000000000008304909116948401949094527801000000000000000000000000000000000000000000000000900463ffffffff1660608301526004850180549390940193919290916080840191610783906115ea565b80601f01602080910402602001604051908101604052809291908181526020018280546107af906115ea565b80156107fa5780601f106107d1576101008083540402835291602001916107fa565b820191905f5260205f20905b8154815290600101906020018083116107dd57829003601f168201915b5050509190925250505081526040805160808101825260058401546fffffffffffffffffffffffffffffffff8082168352700100000000000000000000000000000000918290048116602084810191909152600690960154808216948401949094529204909116606082015291015292915050565b61087887610d9c565b6108858686868686610e83565b6108958733888888888888610fad565b3373ffffffffffffffffffffffffffffffffffffffff168773ffffffffffffffffffffffffffffffffffffffff167fed61728ac6bcd6f5e621e4674297ab48d16512d4ddfcaacac0c64f125898a63d8888888888886040516108fc969594939291906117bc565b60405180910390a350505050505050565b73ffffffffffffffffffffffffffffffffffffffff871661095a576040517f3158a19100000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b73ffffffffffffffffffffffffffffffffffffffff8088165f90815260208190526040902054163381036109d2576040517f74f7822a00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff89166004820152602401610404565b73ffffffffffffffffffffffffffffffffffffffff811615610a40576040517f5ef4b25f00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff808a16600483015282166024820152604401610404565b610a4d8787878787610e83565b60028054600180820183557f405787fa12a823e0f2b7631cc41b3ba8828b3321ca811111fa75cd3aa3bb5ace90910180547fffffffffffffffffffffffff00000000000000000000000000000000000000001673ffffffffffffffffffffffffffffffffffffffff8c1690811790915591545f928352602091909152604090912055610adf8833898989898989610fad565b3373ffffffffffffffffffffffffffffffffffffffff168873ffffffffffffffffffffffffffffffffffffffff167f6d38ad4312b4bafaaf0e052234169c5e3d61bb2bf74352d6357768fd859d3683898989898989604051610b46969594939291906117bc565b60405180910390a35050505050505050565b610b6181610d9c565b73ffffffffffffffffffffffffffffffffffffffff81165f90815260016020526040902054600254808214610c4e575f6002610b9e600184611597565b81548110610bae57610bae6115bd565b5f9182526020909120015473ffffffffffffffffffffffffffffffffffffffff169050806002610bdf600186611597565b81548110610bef57610bef6115bd565b5f91825260208083209190910180547fffffffffffffffffffffffff00000000000000000000000000000000000000001673ffffffffffffffffffffffffffffffffffffffff9485161790559290911681526001909152604090208290555b6002805480610c5f57610c5f611895565b5f828152602080822083017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff90810180547fffffffffffffffffffffffff0000000000000000000000000000000000000000908116909155930190935573ffffffffffffffffffffffffffffffffffffffff861681526001808452604080832083905593829052928120805490921682559091610cfe9083018261104d565b610d0b600283015f61104d565b6003820180547fffffffff000000000000000000000000000000000000000000000000000000001681555f610d43600485018261104d565b50505f60058301819055600690920182905550604051339173ffffffffffffffffffffffffffffffffffffffff8616917fa4796b86060c039564e44acf4d76226901b940593f4246e7505898f84210c71d9190a3505050565b73ffffffffffffffffffffffffffffffffffffffff8082165f908152602081905260409020541680610e12576040517f232cb27a00000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff83166004820152602401610404565b73ffffffffffffffffffffffffffffffffffffffff81163314610e7f576040517fb479387600000000000000000000000000000000000000000000000000000000815273ffffffffffffffffffffffffffffffffffffffff83166004820152336024820152604401610404565b5050565b835f819003610ebe576040517f1662e66b00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b610100811115610f05576040517f8f912ddb000000000000000000000000000000000000000000000000000000008152600481018290526101006024820152604401610404565b50816040811115610f4e57604080517f622ed778000000000000000000000000000000000000000000000000000000008152610404918391600401918252602082015260400190565b610f5b60808301836118c2565b9150506040811115610fa557604080517fa4030c20000000000000000000000000000000000000000000000000000000008152610404918391600401918252602082015260400190565b505050505050565b73ffffffffffffffffffffffffffffffffffffffff8881165f90815260208190526040902080547fffffffffffffffffffffffff0000000000000000000000000000000000000000169189169190911781556001810161100e878983611971565b506002810161101e858783611971565b50826003820161102e8282611a88565b50829050600582016110408282611bc1565b5050505050505050505050565b508054611059906115ea565b5f825580601f10611068575050565b601f0160209004905f5260205f20906110819190611083565b565b5f5b8082111561109a575f81840155600101611085565b505050565b803573ffffffffffffffffffffffffffffffffffffffff811681146110c2575f5ffd5b919050565b5f602082840312156110d7575f5ffd5b6110e08261109f565b9392505050565b6080810161051a82846fffffffffffffffffffffffffffffffff81511682526fffffffffffffffffffffffffffffffff60208201511660208301526fffffffffffffffffffffffffffffffff60408201511660408301526fffffffffffffffffffffffffffffffff60608201511660608301525050565b5f5f6040838503121561116f575f5ffd5b50508035926020909101359150565b602080825282518282018190525f918401906040840190835b818110156111cb57835173ffffffffffffffffffffffffffffffffffffffff16835260209384019390920191600101611197565b509095945050505050565b5f81518084528060208401602086015e5f6020828601015260207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f83011685010191505092915050565b6020815273ffffffffffffffffffffffffffffffffffffffff82511660208201525f6020830151610100604084015261125f6101208401826111d6565b905060408401517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe084830301606085015261129a82826111d6565b91505060608401517fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe084830301608085015267ffffffffffffffff815116825267ffffffffffffffff602082015116602083015267ffffffffffffffff604082015116604083015263ffffffff60608201511660608301526080810151905060a0608083015261132d60a08301826111d6565b608086015180516fffffffffffffffffffffffffffffffff90811660a08801526020820151811660c08801526040820151811660e08801526060820151166101008701529092509050509392505050565b5f5f83601f84011261138e575f5ffd5b50813567ffffffffffffffff8111156113a5575f5ffd5b6020830191508360208285010111156113bc575f5ffd5b9250929050565b5f5f5f5f5f5f5f8789036101008112156113db575f5ffd5b6113e48961109f565b9750602089013567ffffffffffffffff8111156113ff575f5ffd5b61140b8b828c0161137e565b909850965050604089013567ffffffffffffffff81111561142a575f5ffd5b6114368b828c0161137e565b909650945050606089013567ffffffffffffffff811115611455575f5ffd5b890160a0818c031215611466575f5ffd5b925060807fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8082011215611497575f5ffd5b5060808801905092959891949750929550565b73ffffffffffffffffffffffffffffffffffffffff8316815260a081016110e060208301846fffffffffffffffffffffffffffffffff81511682526fffffffffffffffffffffffffffffffff60208201511660208301526fffffffffffffffffffffffffffffffff60408201511660408301526fffffffffffffffffffffffffffffffff60608201511660608301525050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b8181038181111561051a5761051a61156a565b8082018082111561051a5761051a61156a565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b600181811c908216806115fe57607f821691505b602082108103611635577f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b50919050565b81835281816020850137505f602082840101525f60207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe0601f840116840101905092915050565b67ffffffffffffffff81168114611697575f5ffd5b50565b63ffffffff81168114611697575f5ffd5b5f5f83357fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe18436030181126116de575f5ffd5b830160208101925035905067ffffffffffffffff8111156116fd575f5ffd5b8036038213156113bc575f5ffd5b6fffffffffffffffffffffffffffffffff81168114611697575f5ffd5b80356117338161170b565b6fffffffffffffffffffffffffffffffff16825260208101356117558161170b565b6fffffffffffffffffffffffffffffffff166020830152604081013561177a8161170b565b6fffffffffffffffffffffffffffffffff166040830152606081013561179f8161170b565b6fffffffffffffffffffffffffffffffff81166060840152505050565b60e081525f6117cf60e08301888a61163b565b82810360208401526117e281878961163b565b9050828103604084015284356117f781611682565b67ffffffffffffffff168152602085013561181181611682565b67ffffffffffffffff166020820152604085013561182e81611682565b67ffffffffffffffff166040820152606085013561184b8161169a565b63ffffffff16606082015261186360808601866116ab565b60a0608084015261187860a08401828461163b565b935050505061188a6060830184611728565b979650505050505050565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603160045260245ffd5b5f5f83357fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe18436030181126118f5575f5ffd5b83018035915067ffffffffffffffff82111561190f575f5ffd5b6020019150368190038213156113bc575f5ffd5b601f82111561109a578282111561109a57805f5260205f20601f840160051c602085101561194e57505f5b90810190601f840160051c035f5b81811015610fa5575f8382015560010161195c565b67ffffffffffffffff8311156119895761198961153d565b61199d8361199783546115ea565b83611923565b5f601f8411600181146119ed575f85156119b75750838201355b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600387901b1c1916600186901b178355611a81565b5f838152602081207fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe08716915b82811015611a3a5786850135825560209485019460019092019101611a1a565b5086821015611a75577fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff60f88860031b161c19848701351681555b505060018560011b0183555b5050505050565b8135611a9381611682565b81546020840135611aa381611682565b6fffffffffffffffff00000000000000008160401b1667ffffffffffffffff84167fffffffffffffffffffffffffffffffff000000000000000000000000000000008416171784555050505f6040830135611afd81611682565b82547fffffffffffffffff0000000000000000ffffffffffffffffffffffffffffffff1660809190911b77ffffffffffffffff0000000000000000000000000000000016178255505f6060830135611b548161169a565b82547fffffffff00000000ffffffffffffffffffffffffffffffffffffffffffffffff1660c09190911b7bffffffff0000000000000000000000000000000000000000000000001617825550611bad60808301836118c2565b611bbb818360018601611971565b50505050565b8135611bcc8161170b565b81547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff8216178255506020820135611c158161170b565b81546fffffffffffffffffffffffffffffffff16608082901b7fffffffffffffffffffffffffffffffff000000000000000000000000000000001617825550600181016040830135611c668161170b565b81547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff8216178255506060830135611caf8161170b565b81546fffffffffffffffffffffffffffffffff16608082901b7fffffffffffffffffffffffffffffffff0000000000000000000000000000000016178255611bbb56fea164736f6c6343000825000a",
}

// RegistryABI is the input ABI used to generate the binding from.
// Deprecated: Use RegistryMetaData.ABI instead.
var RegistryABI = RegistryMetaData.ABI

// RegistryBin is the compiled bytecode used for deploying new contracts.
// Deprecated: Use RegistryMetaData.Bin instead.
var RegistryBin = RegistryMetaData.Bin

// DeployRegistry deploys a new Ethereum contract, binding an instance of Registry to it.
func DeployRegistry(auth *bind.TransactOpts, backend bind.ContractBackend) (common.Address, *types.Transaction, *Registry, error) {
	parsed, err := RegistryMetaData.GetAbi()
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	if parsed == nil {
		return common.Address{}, nil, nil, errors.New("GetABI returned nil")
	}

	address, tx, contract, err := bind.DeployContract(auth, *parsed, common.FromHex(RegistryBin), backend)
	if err != nil {
		return common.Address{}, nil, nil, err
	}
	return address, tx, &Registry{RegistryCaller: RegistryCaller{contract: contract}, RegistryTransactor: RegistryTransactor{contract: contract}, RegistryFilterer: RegistryFilterer{contract: contract}}, nil
}

// Registry is an auto generated Go binding around an Ethereum contract.
type Registry struct {
	RegistryCaller     // Read-only binding to the contract
	RegistryTransactor // Write-only binding to the contract
	RegistryFilterer   // Log filterer for contract events
}

// RegistryCaller is an auto generated read-only Go binding around an Ethereum contract.
type RegistryCaller struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// RegistryTransactor is an auto generated write-only Go binding around an Ethereum contract.
type RegistryTransactor struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// RegistryFilterer is an auto generated log filtering Go binding around an Ethereum contract events.
type RegistryFilterer struct {
	contract *bind.BoundContract // Generic contract wrapper for the low level calls
}

// RegistrySession is an auto generated Go binding around an Ethereum contract,
// with pre-set call and transact options.
type RegistrySession struct {
	Contract     *Registry         // Generic contract binding to set the session for
	CallOpts     bind.CallOpts     // Call options to use throughout this session
	TransactOpts bind.TransactOpts // Transaction auth options to use throughout this session
}

// RegistryCallerSession is an auto generated read-only Go binding around an Ethereum contract,
// with pre-set call options.
type RegistryCallerSession struct {
	Contract *RegistryCaller // Generic contract caller binding to set the session for
	CallOpts bind.CallOpts   // Call options to use throughout this session
}

// RegistryTransactorSession is an auto generated write-only Go binding around an Ethereum contract,
// with pre-set transact options.
type RegistryTransactorSession struct {
	Contract     *RegistryTransactor // Generic contract transactor binding to set the session for
	TransactOpts bind.TransactOpts   // Transaction auth options to use throughout this session
}

// RegistryRaw is an auto generated low-level Go binding around an Ethereum contract.
type RegistryRaw struct {
	Contract *Registry // Generic contract binding to access the raw methods on
}

// RegistryCallerRaw is an auto generated low-level read-only Go binding around an Ethereum contract.
type RegistryCallerRaw struct {
	Contract *RegistryCaller // Generic read-only contract binding to access the raw methods on
}

// RegistryTransactorRaw is an auto generated low-level write-only Go binding around an Ethereum contract.
type RegistryTransactorRaw struct {
	Contract *RegistryTransactor // Generic write-only contract binding to access the raw methods on
}

// NewRegistry creates a new instance of Registry, bound to a specific deployed contract.
func NewRegistry(address common.Address, backend bind.ContractBackend) (*Registry, error) {
	contract, err := bindRegistry(address, backend, backend, backend)
	if err != nil {
		return nil, err
	}
	return &Registry{RegistryCaller: RegistryCaller{contract: contract}, RegistryTransactor: RegistryTransactor{contract: contract}, RegistryFilterer: RegistryFilterer{contract: contract}}, nil
}

// NewRegistryCaller creates a new read-only instance of Registry, bound to a specific deployed contract.
func NewRegistryCaller(address common.Address, caller bind.ContractCaller) (*RegistryCaller, error) {
	contract, err := bindRegistry(address, caller, nil, nil)
	if err != nil {
		return nil, err
	}
	return &RegistryCaller{contract: contract}, nil
}

// NewRegistryTransactor creates a new write-only instance of Registry, bound to a specific deployed contract.
func NewRegistryTransactor(address common.Address, transactor bind.ContractTransactor) (*RegistryTransactor, error) {
	contract, err := bindRegistry(address, nil, transactor, nil)
	if err != nil {
		return nil, err
	}
	return &RegistryTransactor{contract: contract}, nil
}

// NewRegistryFilterer creates a new log filterer instance of Registry, bound to a specific deployed contract.
func NewRegistryFilterer(address common.Address, filterer bind.ContractFilterer) (*RegistryFilterer, error) {
	contract, err := bindRegistry(address, nil, nil, filterer)
	if err != nil {
		return nil, err
	}
	return &RegistryFilterer{contract: contract}, nil
}

// bindRegistry binds a generic wrapper to an already deployed contract.
func bindRegistry(address common.Address, caller bind.ContractCaller, transactor bind.ContractTransactor, filterer bind.ContractFilterer) (*bind.BoundContract, error) {
	parsed, err := RegistryMetaData.GetAbi()
	if err != nil {
		return nil, err
	}
	return bind.NewBoundContract(address, *parsed, caller, transactor, filterer), nil
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Registry *RegistryRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Registry.Contract.RegistryCaller.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Registry *RegistryRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Registry.Contract.RegistryTransactor.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Registry *RegistryRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Registry.Contract.RegistryTransactor.contract.Transact(opts, method, params...)
}

// Call invokes the (constant) contract method with params as input values and
// sets the output to result. The result type might be a single field for simple
// returns, a slice of interfaces for anonymous returns and a struct for named
// returns.
func (_Registry *RegistryCallerRaw) Call(opts *bind.CallOpts, result *[]interface{}, method string, params ...interface{}) error {
	return _Registry.Contract.contract.Call(opts, result, method, params...)
}

// Transfer initiates a plain transaction to move funds to the contract, calling
// its default method if one is available.
func (_Registry *RegistryTransactorRaw) Transfer(opts *bind.TransactOpts) (*types.Transaction, error) {
	return _Registry.Contract.contract.Transfer(opts)
}

// Transact invokes the (paid) contract method with params as input values.
func (_Registry *RegistryTransactorRaw) Transact(opts *bind.TransactOpts, method string, params ...interface{}) (*types.Transaction, error) {
	return _Registry.Contract.contract.Transact(opts, method, params...)
}

// MAXGPUMODELLENGTH is a free data retrieval call binding the contract method 0x568a6836.
//
// Solidity: function MAX_GPU_MODEL_LENGTH() view returns(uint256)
func (_Registry *RegistryCaller) MAXGPUMODELLENGTH(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "MAX_GPU_MODEL_LENGTH")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MAXGPUMODELLENGTH is a free data retrieval call binding the contract method 0x568a6836.
//
// Solidity: function MAX_GPU_MODEL_LENGTH() view returns(uint256)
func (_Registry *RegistrySession) MAXGPUMODELLENGTH() (*big.Int, error) {
	return _Registry.Contract.MAXGPUMODELLENGTH(&_Registry.CallOpts)
}

// MAXGPUMODELLENGTH is a free data retrieval call binding the contract method 0x568a6836.
//
// Solidity: function MAX_GPU_MODEL_LENGTH() view returns(uint256)
func (_Registry *RegistryCallerSession) MAXGPUMODELLENGTH() (*big.Int, error) {
	return _Registry.Contract.MAXGPUMODELLENGTH(&_Registry.CallOpts)
}

// MAXPAGESIZE is a free data retrieval call binding the contract method 0x48f4da20.
//
// Solidity: function MAX_PAGE_SIZE() view returns(uint256)
func (_Registry *RegistryCaller) MAXPAGESIZE(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "MAX_PAGE_SIZE")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MAXPAGESIZE is a free data retrieval call binding the contract method 0x48f4da20.
//
// Solidity: function MAX_PAGE_SIZE() view returns(uint256)
func (_Registry *RegistrySession) MAXPAGESIZE() (*big.Int, error) {
	return _Registry.Contract.MAXPAGESIZE(&_Registry.CallOpts)
}

// MAXPAGESIZE is a free data retrieval call binding the contract method 0x48f4da20.
//
// Solidity: function MAX_PAGE_SIZE() view returns(uint256)
func (_Registry *RegistryCallerSession) MAXPAGESIZE() (*big.Int, error) {
	return _Registry.Contract.MAXPAGESIZE(&_Registry.CallOpts)
}

// MAXREGIONLENGTH is a free data retrieval call binding the contract method 0xd070edaa.
//
// Solidity: function MAX_REGION_LENGTH() view returns(uint256)
func (_Registry *RegistryCaller) MAXREGIONLENGTH(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "MAX_REGION_LENGTH")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MAXREGIONLENGTH is a free data retrieval call binding the contract method 0xd070edaa.
//
// Solidity: function MAX_REGION_LENGTH() view returns(uint256)
func (_Registry *RegistrySession) MAXREGIONLENGTH() (*big.Int, error) {
	return _Registry.Contract.MAXREGIONLENGTH(&_Registry.CallOpts)
}

// MAXREGIONLENGTH is a free data retrieval call binding the contract method 0xd070edaa.
//
// Solidity: function MAX_REGION_LENGTH() view returns(uint256)
func (_Registry *RegistryCallerSession) MAXREGIONLENGTH() (*big.Int, error) {
	return _Registry.Contract.MAXREGIONLENGTH(&_Registry.CallOpts)
}

// MAXURLLENGTH is a free data retrieval call binding the contract method 0xcb71146e.
//
// Solidity: function MAX_URL_LENGTH() view returns(uint256)
func (_Registry *RegistryCaller) MAXURLLENGTH(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "MAX_URL_LENGTH")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// MAXURLLENGTH is a free data retrieval call binding the contract method 0xcb71146e.
//
// Solidity: function MAX_URL_LENGTH() view returns(uint256)
func (_Registry *RegistrySession) MAXURLLENGTH() (*big.Int, error) {
	return _Registry.Contract.MAXURLLENGTH(&_Registry.CallOpts)
}

// MAXURLLENGTH is a free data retrieval call binding the contract method 0xcb71146e.
//
// Solidity: function MAX_URL_LENGTH() view returns(uint256)
func (_Registry *RegistryCallerSession) MAXURLLENGTH() (*big.Int, error) {
	return _Registry.Contract.MAXURLLENGTH(&_Registry.CallOpts)
}

// GetProvider is a free data retrieval call binding the contract method 0x55f21eb7.
//
// Solidity: function getProvider(address provider) view returns((address,string,string,(uint64,uint64,uint64,uint32,string),(uint128,uint128,uint128,uint128)))
func (_Registry *RegistryCaller) GetProvider(opts *bind.CallOpts, provider common.Address) (RegistryProvider, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "getProvider", provider)

	if err != nil {
		return *new(RegistryProvider), err
	}

	out0 := *abi.ConvertType(out[0], new(RegistryProvider)).(*RegistryProvider)

	return out0, err

}

// GetProvider is a free data retrieval call binding the contract method 0x55f21eb7.
//
// Solidity: function getProvider(address provider) view returns((address,string,string,(uint64,uint64,uint64,uint32,string),(uint128,uint128,uint128,uint128)))
func (_Registry *RegistrySession) GetProvider(provider common.Address) (RegistryProvider, error) {
	return _Registry.Contract.GetProvider(&_Registry.CallOpts, provider)
}

// GetProvider is a free data retrieval call binding the contract method 0x55f21eb7.
//
// Solidity: function getProvider(address provider) view returns((address,string,string,(uint64,uint64,uint64,uint32,string),(uint128,uint128,uint128,uint128)))
func (_Registry *RegistryCallerSession) GetProvider(provider common.Address) (RegistryProvider, error) {
	return _Registry.Contract.GetProvider(&_Registry.CallOpts, provider)
}

// IsRegistered is a free data retrieval call binding the contract method 0xc3c5a547.
//
// Solidity: function isRegistered(address provider) view returns(bool)
func (_Registry *RegistryCaller) IsRegistered(opts *bind.CallOpts, provider common.Address) (bool, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "isRegistered", provider)

	if err != nil {
		return *new(bool), err
	}

	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)

	return out0, err

}

// IsRegistered is a free data retrieval call binding the contract method 0xc3c5a547.
//
// Solidity: function isRegistered(address provider) view returns(bool)
func (_Registry *RegistrySession) IsRegistered(provider common.Address) (bool, error) {
	return _Registry.Contract.IsRegistered(&_Registry.CallOpts, provider)
}

// IsRegistered is a free data retrieval call binding the contract method 0xc3c5a547.
//
// Solidity: function isRegistered(address provider) view returns(bool)
func (_Registry *RegistryCallerSession) IsRegistered(provider common.Address) (bool, error) {
	return _Registry.Contract.IsRegistered(&_Registry.CallOpts, provider)
}

// OwnerOf is a free data retrieval call binding the contract method 0x14afd79e.
//
// Solidity: function ownerOf(address provider) view returns(address)
func (_Registry *RegistryCaller) OwnerOf(opts *bind.CallOpts, provider common.Address) (common.Address, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "ownerOf", provider)

	if err != nil {
		return *new(common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)

	return out0, err

}

// OwnerOf is a free data retrieval call binding the contract method 0x14afd79e.
//
// Solidity: function ownerOf(address provider) view returns(address)
func (_Registry *RegistrySession) OwnerOf(provider common.Address) (common.Address, error) {
	return _Registry.Contract.OwnerOf(&_Registry.CallOpts, provider)
}

// OwnerOf is a free data retrieval call binding the contract method 0x14afd79e.
//
// Solidity: function ownerOf(address provider) view returns(address)
func (_Registry *RegistryCallerSession) OwnerOf(provider common.Address) (common.Address, error) {
	return _Registry.Contract.OwnerOf(&_Registry.CallOpts, provider)
}

// PricesOf is a free data retrieval call binding the contract method 0x14e42014.
//
// Solidity: function pricesOf(address provider) view returns((uint128,uint128,uint128,uint128))
func (_Registry *RegistryCaller) PricesOf(opts *bind.CallOpts, provider common.Address) (RegistryPrices, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "pricesOf", provider)

	if err != nil {
		return *new(RegistryPrices), err
	}

	out0 := *abi.ConvertType(out[0], new(RegistryPrices)).(*RegistryPrices)

	return out0, err

}

// PricesOf is a free data retrieval call binding the contract method 0x14e42014.
//
// Solidity: function pricesOf(address provider) view returns((uint128,uint128,uint128,uint128))
func (_Registry *RegistrySession) PricesOf(provider common.Address) (RegistryPrices, error) {
	return _Registry.Contract.PricesOf(&_Registry.CallOpts, provider)
}

// PricesOf is a free data retrieval call binding the contract method 0x14e42014.
//
// Solidity: function pricesOf(address provider) view returns((uint128,uint128,uint128,uint128))
func (_Registry *RegistryCallerSession) PricesOf(provider common.Address) (RegistryPrices, error) {
	return _Registry.Contract.PricesOf(&_Registry.CallOpts, provider)
}

// ProviderCount is a free data retrieval call binding the contract method 0x74c83268.
//
// Solidity: function providerCount() view returns(uint256)
func (_Registry *RegistryCaller) ProviderCount(opts *bind.CallOpts) (*big.Int, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "providerCount")

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// ProviderCount is a free data retrieval call binding the contract method 0x74c83268.
//
// Solidity: function providerCount() view returns(uint256)
func (_Registry *RegistrySession) ProviderCount() (*big.Int, error) {
	return _Registry.Contract.ProviderCount(&_Registry.CallOpts)
}

// ProviderCount is a free data retrieval call binding the contract method 0x74c83268.
//
// Solidity: function providerCount() view returns(uint256)
func (_Registry *RegistryCallerSession) ProviderCount() (*big.Int, error) {
	return _Registry.Contract.ProviderCount(&_Registry.CallOpts)
}

// ProvidersPage is a free data retrieval call binding the contract method 0x30b177cb.
//
// Solidity: function providersPage(uint256 offset, uint256 limit) view returns(address[] page)
func (_Registry *RegistryCaller) ProvidersPage(opts *bind.CallOpts, offset *big.Int, limit *big.Int) ([]common.Address, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "providersPage", offset, limit)

	if err != nil {
		return *new([]common.Address), err
	}

	out0 := *abi.ConvertType(out[0], new([]common.Address)).(*[]common.Address)

	return out0, err

}

// ProvidersPage is a free data retrieval call binding the contract method 0x30b177cb.
//
// Solidity: function providersPage(uint256 offset, uint256 limit) view returns(address[] page)
func (_Registry *RegistrySession) ProvidersPage(offset *big.Int, limit *big.Int) ([]common.Address, error) {
	return _Registry.Contract.ProvidersPage(&_Registry.CallOpts, offset, limit)
}

// ProvidersPage is a free data retrieval call binding the contract method 0x30b177cb.
//
// Solidity: function providersPage(uint256 offset, uint256 limit) view returns(address[] page)
func (_Registry *RegistryCallerSession) ProvidersPage(offset *big.Int, limit *big.Int) ([]common.Address, error) {
	return _Registry.Contract.ProvidersPage(&_Registry.CallOpts, offset, limit)
}

// Terms is a free data retrieval call binding the contract method 0xc8c819ac.
//
// Solidity: function terms(address provider) view returns(address owner, (uint128,uint128,uint128,uint128) prices)
func (_Registry *RegistryCaller) Terms(opts *bind.CallOpts, provider common.Address) (struct {
	Owner  common.Address
	Prices RegistryPrices
}, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "terms", provider)

	outstruct := new(struct {
		Owner  common.Address
		Prices RegistryPrices
	})
	if err != nil {
		return *outstruct, err
	}

	outstruct.Owner = *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	outstruct.Prices = *abi.ConvertType(out[1], new(RegistryPrices)).(*RegistryPrices)

	return *outstruct, err

}

// Terms is a free data retrieval call binding the contract method 0xc8c819ac.
//
// Solidity: function terms(address provider) view returns(address owner, (uint128,uint128,uint128,uint128) prices)
func (_Registry *RegistrySession) Terms(provider common.Address) (struct {
	Owner  common.Address
	Prices RegistryPrices
}, error) {
	return _Registry.Contract.Terms(&_Registry.CallOpts, provider)
}

// Terms is a free data retrieval call binding the contract method 0xc8c819ac.
//
// Solidity: function terms(address provider) view returns(address owner, (uint128,uint128,uint128,uint128) prices)
func (_Registry *RegistryCallerSession) Terms(provider common.Address) (struct {
	Owner  common.Address
	Prices RegistryPrices
}, error) {
	return _Registry.Contract.Terms(&_Registry.CallOpts, provider)
}

// Deregister is a paid mutator transaction binding the contract method 0x84ac33ec.
//
// Solidity: function deregister(address provider) returns()
func (_Registry *RegistryTransactor) Deregister(opts *bind.TransactOpts, provider common.Address) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "deregister", provider)
}

// Deregister is a paid mutator transaction binding the contract method 0x84ac33ec.
//
// Solidity: function deregister(address provider) returns()
func (_Registry *RegistrySession) Deregister(provider common.Address) (*types.Transaction, error) {
	return _Registry.Contract.Deregister(&_Registry.TransactOpts, provider)
}

// Deregister is a paid mutator transaction binding the contract method 0x84ac33ec.
//
// Solidity: function deregister(address provider) returns()
func (_Registry *RegistryTransactorSession) Deregister(provider common.Address) (*types.Transaction, error) {
	return _Registry.Contract.Deregister(&_Registry.TransactOpts, provider)
}

// Register is a paid mutator transaction binding the contract method 0x7ed459fc.
//
// Solidity: function register(address provider, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices) returns()
func (_Registry *RegistryTransactor) Register(opts *bind.TransactOpts, provider common.Address, url string, region string, capacity RegistryCapacity, prices RegistryPrices) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "register", provider, url, region, capacity, prices)
}

// Register is a paid mutator transaction binding the contract method 0x7ed459fc.
//
// Solidity: function register(address provider, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices) returns()
func (_Registry *RegistrySession) Register(provider common.Address, url string, region string, capacity RegistryCapacity, prices RegistryPrices) (*types.Transaction, error) {
	return _Registry.Contract.Register(&_Registry.TransactOpts, provider, url, region, capacity, prices)
}

// Register is a paid mutator transaction binding the contract method 0x7ed459fc.
//
// Solidity: function register(address provider, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices) returns()
func (_Registry *RegistryTransactorSession) Register(provider common.Address, url string, region string, capacity RegistryCapacity, prices RegistryPrices) (*types.Transaction, error) {
	return _Registry.Contract.Register(&_Registry.TransactOpts, provider, url, region, capacity, prices)
}

// Update is a paid mutator transaction binding the contract method 0x6696cc88.
//
// Solidity: function update(address provider, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices) returns()
func (_Registry *RegistryTransactor) Update(opts *bind.TransactOpts, provider common.Address, url string, region string, capacity RegistryCapacity, prices RegistryPrices) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "update", provider, url, region, capacity, prices)
}

// Update is a paid mutator transaction binding the contract method 0x6696cc88.
//
// Solidity: function update(address provider, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices) returns()
func (_Registry *RegistrySession) Update(provider common.Address, url string, region string, capacity RegistryCapacity, prices RegistryPrices) (*types.Transaction, error) {
	return _Registry.Contract.Update(&_Registry.TransactOpts, provider, url, region, capacity, prices)
}

// Update is a paid mutator transaction binding the contract method 0x6696cc88.
//
// Solidity: function update(address provider, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices) returns()
func (_Registry *RegistryTransactorSession) Update(provider common.Address, url string, region string, capacity RegistryCapacity, prices RegistryPrices) (*types.Transaction, error) {
	return _Registry.Contract.Update(&_Registry.TransactOpts, provider, url, region, capacity, prices)
}

// RegistryProviderDeregisteredIterator is returned from FilterProviderDeregistered and is used to iterate over the raw logs and unpacked data for ProviderDeregistered events raised by the Registry contract.
type RegistryProviderDeregisteredIterator struct {
	Event *RegistryProviderDeregistered // Event containing the contract specifics and raw log

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
func (it *RegistryProviderDeregisteredIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryProviderDeregistered)
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
		it.Event = new(RegistryProviderDeregistered)
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
func (it *RegistryProviderDeregisteredIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryProviderDeregisteredIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryProviderDeregistered represents a ProviderDeregistered event raised by the Registry contract.
type RegistryProviderDeregistered struct {
	Provider common.Address
	Owner    common.Address
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterProviderDeregistered is a free log retrieval operation binding the contract event 0xa4796b86060c039564e44acf4d76226901b940593f4246e7505898f84210c71d.
//
// Solidity: event ProviderDeregistered(address indexed provider, address indexed owner)
func (_Registry *RegistryFilterer) FilterProviderDeregistered(opts *bind.FilterOpts, provider []common.Address, owner []common.Address) (*RegistryProviderDeregisteredIterator, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "ProviderDeregistered", providerRule, ownerRule)
	if err != nil {
		return nil, err
	}
	return &RegistryProviderDeregisteredIterator{contract: _Registry.contract, event: "ProviderDeregistered", logs: logs, sub: sub}, nil
}

// WatchProviderDeregistered is a free log subscription operation binding the contract event 0xa4796b86060c039564e44acf4d76226901b940593f4246e7505898f84210c71d.
//
// Solidity: event ProviderDeregistered(address indexed provider, address indexed owner)
func (_Registry *RegistryFilterer) WatchProviderDeregistered(opts *bind.WatchOpts, sink chan<- *RegistryProviderDeregistered, provider []common.Address, owner []common.Address) (event.Subscription, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "ProviderDeregistered", providerRule, ownerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryProviderDeregistered)
				if err := _Registry.contract.UnpackLog(event, "ProviderDeregistered", log); err != nil {
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

// ParseProviderDeregistered is a log parse operation binding the contract event 0xa4796b86060c039564e44acf4d76226901b940593f4246e7505898f84210c71d.
//
// Solidity: event ProviderDeregistered(address indexed provider, address indexed owner)
func (_Registry *RegistryFilterer) ParseProviderDeregistered(log types.Log) (*RegistryProviderDeregistered, error) {
	event := new(RegistryProviderDeregistered)
	if err := _Registry.contract.UnpackLog(event, "ProviderDeregistered", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistryProviderRegisteredIterator is returned from FilterProviderRegistered and is used to iterate over the raw logs and unpacked data for ProviderRegistered events raised by the Registry contract.
type RegistryProviderRegisteredIterator struct {
	Event *RegistryProviderRegistered // Event containing the contract specifics and raw log

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
func (it *RegistryProviderRegisteredIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryProviderRegistered)
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
		it.Event = new(RegistryProviderRegistered)
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
func (it *RegistryProviderRegisteredIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryProviderRegisteredIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryProviderRegistered represents a ProviderRegistered event raised by the Registry contract.
type RegistryProviderRegistered struct {
	Provider common.Address
	Owner    common.Address
	Url      string
	Region   string
	Capacity RegistryCapacity
	Prices   RegistryPrices
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterProviderRegistered is a free log retrieval operation binding the contract event 0x6d38ad4312b4bafaaf0e052234169c5e3d61bb2bf74352d6357768fd859d3683.
//
// Solidity: event ProviderRegistered(address indexed provider, address indexed owner, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices)
func (_Registry *RegistryFilterer) FilterProviderRegistered(opts *bind.FilterOpts, provider []common.Address, owner []common.Address) (*RegistryProviderRegisteredIterator, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "ProviderRegistered", providerRule, ownerRule)
	if err != nil {
		return nil, err
	}
	return &RegistryProviderRegisteredIterator{contract: _Registry.contract, event: "ProviderRegistered", logs: logs, sub: sub}, nil
}

// WatchProviderRegistered is a free log subscription operation binding the contract event 0x6d38ad4312b4bafaaf0e052234169c5e3d61bb2bf74352d6357768fd859d3683.
//
// Solidity: event ProviderRegistered(address indexed provider, address indexed owner, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices)
func (_Registry *RegistryFilterer) WatchProviderRegistered(opts *bind.WatchOpts, sink chan<- *RegistryProviderRegistered, provider []common.Address, owner []common.Address) (event.Subscription, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "ProviderRegistered", providerRule, ownerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryProviderRegistered)
				if err := _Registry.contract.UnpackLog(event, "ProviderRegistered", log); err != nil {
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

// ParseProviderRegistered is a log parse operation binding the contract event 0x6d38ad4312b4bafaaf0e052234169c5e3d61bb2bf74352d6357768fd859d3683.
//
// Solidity: event ProviderRegistered(address indexed provider, address indexed owner, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices)
func (_Registry *RegistryFilterer) ParseProviderRegistered(log types.Log) (*RegistryProviderRegistered, error) {
	event := new(RegistryProviderRegistered)
	if err := _Registry.contract.UnpackLog(event, "ProviderRegistered", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}

// RegistryProviderUpdatedIterator is returned from FilterProviderUpdated and is used to iterate over the raw logs and unpacked data for ProviderUpdated events raised by the Registry contract.
type RegistryProviderUpdatedIterator struct {
	Event *RegistryProviderUpdated // Event containing the contract specifics and raw log

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
func (it *RegistryProviderUpdatedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryProviderUpdated)
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
		it.Event = new(RegistryProviderUpdated)
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
func (it *RegistryProviderUpdatedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryProviderUpdatedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryProviderUpdated represents a ProviderUpdated event raised by the Registry contract.
type RegistryProviderUpdated struct {
	Provider common.Address
	Owner    common.Address
	Url      string
	Region   string
	Capacity RegistryCapacity
	Prices   RegistryPrices
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterProviderUpdated is a free log retrieval operation binding the contract event 0xed61728ac6bcd6f5e621e4674297ab48d16512d4ddfcaacac0c64f125898a63d.
//
// Solidity: event ProviderUpdated(address indexed provider, address indexed owner, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices)
func (_Registry *RegistryFilterer) FilterProviderUpdated(opts *bind.FilterOpts, provider []common.Address, owner []common.Address) (*RegistryProviderUpdatedIterator, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "ProviderUpdated", providerRule, ownerRule)
	if err != nil {
		return nil, err
	}
	return &RegistryProviderUpdatedIterator{contract: _Registry.contract, event: "ProviderUpdated", logs: logs, sub: sub}, nil
}

// WatchProviderUpdated is a free log subscription operation binding the contract event 0xed61728ac6bcd6f5e621e4674297ab48d16512d4ddfcaacac0c64f125898a63d.
//
// Solidity: event ProviderUpdated(address indexed provider, address indexed owner, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices)
func (_Registry *RegistryFilterer) WatchProviderUpdated(opts *bind.WatchOpts, sink chan<- *RegistryProviderUpdated, provider []common.Address, owner []common.Address) (event.Subscription, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var ownerRule []interface{}
	for _, ownerItem := range owner {
		ownerRule = append(ownerRule, ownerItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "ProviderUpdated", providerRule, ownerRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryProviderUpdated)
				if err := _Registry.contract.UnpackLog(event, "ProviderUpdated", log); err != nil {
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

// ParseProviderUpdated is a log parse operation binding the contract event 0xed61728ac6bcd6f5e621e4674297ab48d16512d4ddfcaacac0c64f125898a63d.
//
// Solidity: event ProviderUpdated(address indexed provider, address indexed owner, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices)
func (_Registry *RegistryFilterer) ParseProviderUpdated(log types.Log) (*RegistryProviderUpdated, error) {
	event := new(RegistryProviderUpdated)
	if err := _Registry.contract.UnpackLog(event, "ProviderUpdated", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
}
