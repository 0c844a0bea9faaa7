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

// RegistryProof is an auto generated low-level Go binding around an user-defined struct.
type RegistryProof struct {
	Nonce     *big.Int
	Deadline  *big.Int
	Signature []byte
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
	ABI: "[{\"inputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"inputs\":[],\"name\":\"EmptyURL\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"GpuModelTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"InvalidNewOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"expected\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"given\",\"type\":\"uint256\"}],\"name\":\"InvalidNonce\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"signer\",\"type\":\"address\"}],\"name\":\"InvalidProviderSignature\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"InvalidShortString\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"caller\",\"type\":\"address\"}],\"name\":\"NotProviderOwner\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"limit\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"PageTooLarge\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"timestamp\",\"type\":\"uint256\"}],\"name\":\"ProofExpired\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ProviderAlreadyRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ProviderNotRegistered\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"ProviderTaken\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"RegionTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"string\",\"name\":\"str\",\"type\":\"string\"}],\"name\":\"StringTooLong\",\"type\":\"error\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"length\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"max\",\"type\":\"uint256\"}],\"name\":\"URLTooLong\",\"type\":\"error\"},{\"inputs\":[],\"name\":\"ZeroProvider\",\"type\":\"error\"},{\"anonymous\":false,\"inputs\":[],\"name\":\"EIP712DomainChanged\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"}],\"name\":\"ProviderDeregistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"url\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"region\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"gpuModel\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structRegistry.Capacity\",\"name\":\"capacity\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"indexed\":false,\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"}],\"name\":\"ProviderRegistered\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"}],\"name\":\"ProviderTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"url\",\"type\":\"string\"},{\"indexed\":false,\"internalType\":\"string\",\"name\":\"region\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"gpuModel\",\"type\":\"string\"}],\"indexed\":false,\"internalType\":\"structRegistry.Capacity\",\"name\":\"capacity\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"indexed\":false,\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"}],\"name\":\"ProviderUpdated\",\"type\":\"event\"},{\"inputs\":[],\"name\":\"MAX_GPU_MODEL_LENGTH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_PAGE_SIZE\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_REGION_LENGTH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"MAX_URL_LENGTH\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"REGISTRATION_TYPEHASH\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"deregister\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"eip712Domain\",\"outputs\":[{\"internalType\":\"bytes1\",\"name\":\"fields\",\"type\":\"bytes1\"},{\"internalType\":\"string\",\"name\":\"name\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"version\",\"type\":\"string\"},{\"internalType\":\"uint256\",\"name\":\"chainId\",\"type\":\"uint256\"},{\"internalType\":\"address\",\"name\":\"verifyingContract\",\"type\":\"address\"},{\"internalType\":\"bytes32\",\"name\":\"salt\",\"type\":\"bytes32\"},{\"internalType\":\"uint256[]\",\"name\":\"extensions\",\"type\":\"uint256[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"getProvider\",\"outputs\":[{\"components\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"url\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"region\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"gpuModel\",\"type\":\"string\"}],\"internalType\":\"structRegistry.Capacity\",\"name\":\"capacity\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"}],\"internalType\":\"structRegistry.Provider\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"isRegistered\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"nonceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"ownerOf\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"pricesOf\",\"outputs\":[{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"internalType\":\"structRegistry.Prices\",\"name\":\"\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"providerCount\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"offset\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"limit\",\"type\":\"uint256\"}],\"name\":\"providersPage\",\"outputs\":[{\"internalType\":\"address[]\",\"name\":\"page\",\"type\":\"address[]\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"url\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"region\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"gpuModel\",\"type\":\"string\"}],\"internalType\":\"structRegistry.Capacity\",\"name\":\"capacity\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"internalType\":\"structRegistry.Proof\",\"name\":\"proof\",\"type\":\"tuple\"}],\"name\":\"register\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"}],\"name\":\"registrationDigest\",\"outputs\":[{\"internalType\":\"bytes32\",\"name\":\"\",\"type\":\"bytes32\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"}],\"name\":\"terms\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"},{\"components\":[{\"internalType\":\"uint256\",\"name\":\"nonce\",\"type\":\"uint256\"},{\"internalType\":\"uint256\",\"name\":\"deadline\",\"type\":\"uint256\"},{\"internalType\":\"bytes\",\"name\":\"signature\",\"type\":\"bytes\"}],\"internalType\":\"structRegistry.Proof\",\"name\":\"proof\",\"type\":\"tuple\"}],\"name\":\"transfer\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"provider\",\"type\":\"address\"},{\"internalType\":\"string\",\"name\":\"url\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"region\",\"type\":\"string\"},{\"components\":[{\"internalType\":\"uint64\",\"name\":\"cpuMillis\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"memoryBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint64\",\"name\":\"storageBytes\",\"type\":\"uint64\"},{\"internalType\":\"uint32\",\"name\":\"gpus\",\"type\":\"uint32\"},{\"internalType\":\"string\",\"name\":\"gpuModel\",\"type\":\"string\"}],\"internalType\":\"structRegistry.Capacity\",\"name\":\"capacity\",\"type\":\"tuple\"},{\"components\":[{\"internalType\":\"uint128\",\"name\":\"cpuMilli\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"memoryMiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"storageGiB\",\"type\":\"uint128\"},{\"internalType\":\"uint128\",\"name\":\"gpu\",\"type\":\"uint128\"}],\"internalType\":\"structRegistry.Prices\",\"name\":\"prices\",\"type\":\"tuple\"}],\"name\":\"update\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	Bin: "0x610160604052348015610010575f5ffd5b5060405180604001604052806011815260200170677269646e6f646520526567697374727960781b815250604051806040016040528060018152602001603160f81b8152506100648261010b60201b60201c565b610120526100718161010b565b61014052815160208084019190912060e052815190820120610100524660a0526100fd60e05161010051604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201529081019290925260608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b60805250503060c0526101ac565b5f5f829050601f8151111561013e578260405163305a27a960e01b81526004016101359190610151565b60405180910390fd5b805161014982610186565b179392505050565b602081525f82518060208401528060208501604085015e5f604082850101526040601f19601f83011684010191505092915050565b805160208083015191908110156101a6575f198160200360031b1b821691505b50919050565b60805160a05160c05160e0516101005161012051610140516124c96101fd5f395f61135f01525f61132f01525f61152701525f6114ff01525f61145a01525f61148401525f6114ae01526124c95ff3fe608060405234801561000f575f5ffd5b5060043610610149575f3560e01c806374c83268116100c7578063c8c819ac1161007d578063d070edaa11610063578063d070edaa146102dd578063ed2a2d641461043c578063f0c43ea114610464575f5ffd5b8063c8c819ac1461037b578063cb71146e14610433575f5ffd5b806384b0196e116100ad57806384b0196e14610313578063baf2b1101461032e578063c3c5a54714610341575f5ffd5b806374c83268146102f857806384ac33ec14610300575f5ffd5b806348f4da201161011c57806355f21eb71161010257806355f21eb7146102bd578063568a6836146102dd5780636696cc88146102e5575f5ffd5b806348f4da20146102a05780634e3b4d8a146102a8575f5ffd5b80631494e2f61461014d57806314afd79e1461018757806314e42014146101ca57806330b177cb14610280575b5f5ffd5b6101747f9343610f6a018fc74b84c9be452753820b7dfa4c83d2788527c60fc24ec3251881565b6040519081526020015b60405180910390f35b6101b26101953660046116ec565b6001600160a01b039081165f908152600260205260409020541690565b6040516001600160a01b03909116815260200161017e565b6102736101d83660046116ec565b604080516080810182525f808252602082018190529181018290526060810191909152506001600160a01b03165f90815260026020908152604091829020825160808101845260058201546fffffffffffffffffffffffffffffffff80821683527001000000000000000000000000000000009182900481169483019490945260069092015480841694820194909452920416606082015290565b60405161017e919061170c565b61029361028e366004611783565b610477565b60405161017e91906117a3565b610174606481565b6102bb6102b6366004611869565b6105bc565b005b6102d06102cb3660046116ec565b6107a7565b60405161017e919061197d565b610174604081565b6102bb6102f3366004611a90565b610aeb565b600554610174565b6102bb61030e3660046116ec565b610b6f565b61031b610d72565b60405161017e9796959493929190611b4b565b61017461033c366004611bfd565b610dd0565b61036b61034f3660046116ec565b6001600160a01b03165f90815260046020526040902054151590565b604051901515815260200161017e565b6104256103893660046116ec565b60408051608080820183525f808352602080840182905283850182905260609384018290526001600160a01b039586168252600281529084902080548551938401865260058201546fffffffffffffffffffffffffffffffff8082168652700100000000000000000000000000000000918290048116948601949094526006909201548084169685019690965294041691810191909152911691565b60405161017e929190611c3c565b61017461010081565b61017461044a3660046116ec565b6001600160a01b03165f9081526003602052604090205490565b6102bb610472366004611cc2565b610e4f565b606060648211156104c3576040517f9048389400000000000000000000000000000000000000000000000000000000815260048101839052606460248201526044015b60405180910390fd5b6005548084106104e2575050604080515f8152602081019091526105b6565b5f6104ed8583611d76565b9050838111156104fa5750825b8067ffffffffffffffff81111561051357610513611d1c565b60405190808252806020026020018201604052801561053c578160200160208202803683370190505b5092505f5b818110156105b25760056105558288611d89565b8154811061056557610565611d9c565b905f5260205f20015f9054906101000a90046001600160a01b031684828151811061059257610592611d9c565b6001600160a01b0390921660209283029190910190910152600101610541565b5050505b92915050565b6001600160a01b0388166105fc576040517f3158a19100000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b6001600160a01b038089165f908152600260205260409020541633810361065a576040517f74f7822a0000000000000000000000000000000000000000000000000000000081526001600160a01b038a1660048201526024016104ba565b6001600160a01b038116156106ae576040517f5ef4b25f0000000000000000000000000000000000000000000000000000000081526001600160a01b03808b166004830152821660248201526044016104ba565b6106bb8888888888610f34565b6106c689338461105e565b600580546001810182557f036b6384b5eca791c62761152d0c79bb0604c104a5fb6f4eb0703f3154bb3db00180547fffffffffffffffffffffffff0000000000000000000000000000000000000000166001600160a01b038c1690811790915590545f918252600460205260409091205561074789338a8a8a8a8a8a6111e2565b336001600160a01b0316896001600160a01b03167f6d38ad4312b4bafaaf0e052234169c5e3d61bb2bf74352d6357768fd859d36838a8a8a8a8a8a60405161079496959493929190611f2c565b60405180910390a3505050505050505050565b6108176040805160a080820183525f80835260606020808501829052848601829052855193840186528284528301829052938201819052818401526080810183905290918201908152604080516080810182525f8082526020828101829052928201819052606082015291015290565b6001600160a01b038083165f90815260026020908152604091829020825160a08101909352805490931682526001830180549293929184019161085990612005565b80601f016020809104026020016040519081016040528092919081815260200182805461088590612005565b80156108d05780601f106108a7576101008083540402835291602001916108d0565b820191905f5260205f20905b8154815290600101906020018083116108b357829003601f168201915b505050505081526020016002820180546108e990612005565b80601f016020809104026020016040519081016040528092919081815260200182805461091590612005565b80156109605780601f1061093757610100808354040283529160200191610960565b820191905f5260205f20905b81548152906001019060200180831161094357829003601f168201915b50505091835250506040805160a08101825260038401805467ffffffffffffffff808216845268010000000000000000820481166020808601919091527001000000000000000000000000000000008304909116948401949094527801000000000000000000000000000000000000000000000000900463ffffffff16606083015260048501805493909401939192909160808401916109ff90612005565b80601f0160208091040260200160405190810160405280929190818152602001828054610a2b90612005565b8015610a765780601f10610a4d57610100808354040283529160200191610a76565b820191905f5260205f20905b815481529060010190602001808311610a5957829003601f168201915b5050509190925250505081526040805160808101825260058401546fffffffffffffffffffffffffffffffff8082168352700100000000000000000000000000000000918290048116602084810191909152600690960154808216948401949094529204909116606082015291015292915050565b610af487611275565b610b018686868686610f34565b610b1187338888888888886111e2565b336001600160a01b0316876001600160a01b03167fed61728ac6bcd6f5e621e4674297ab48d16512d4ddfcaacac0c64f125898a63d888888888888604051610b5e96959493929190611f2c565b60405180910390a350505050505050565b610b7881611275565b6001600160a01b0381165f90815260046020526040902054600554808214610c3e575f6005610ba8600184611d76565b81548110610bb857610bb8611d9c565b5f918252602090912001546001600160a01b03169050806005610bdc600186611d76565b81548110610bec57610bec611d9c565b5f91825260208083209190910180547fffffffffffffffffffffffff0000000000000000000000000000000000000000166001600160a01b039485161790559290911681526004909152604090208290555b6005805480610c4f57610c4f612050565b5f828152602080822083017fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff90810180547fffffffffffffffffffffffff000000000000000000000000000000000000000090811690915593019093556001600160a01b038616815260048352604080822082905560029093529182208054909116815590610ce1600183018261167f565b610cee600283015f61167f565b6003820180547fffffffff000000000000000000000000000000000000000000000000000000001681555f610d26600485018261167f565b50505f6005830181905560069092018290555060405133916001600160a01b038616917fa4796b86060c039564e44acf4d76226901b940593f4246e7505898f84210c71d9190a3505050565b5f6060805f5f5f6060610d83611328565b610d8b611358565b604080515f808252602082019092527f0f000000000000000000000000000000000000000000000000000000000000009b939a50919850469750309650945092509050565b604080517f9343610f6a018fc74b84c9be452753820b7dfa4c83d2788527c60fc24ec3251860208201526001600160a01b038087169282019290925290841660608201526080810183905260a081018290525f90610e469060c00160405160208183030381529060405280519060200120611383565b95945050505050565b610e5883611275565b6001600160a01b0382161580610e7657506001600160a01b03821633145b15610eb8576040517f896d9ad00000000000000000000000000000000000000000000000000000000081526001600160a01b03831660048201526024016104ba565b610ec383838361105e565b6001600160a01b038381165f8181526002602052604080822080547fffffffffffffffffffffffff0000000000000000000000000000000000000000169487169485179055513392917ff0d9009b8afd910af7b7be19ab783afc5e208394d9b8db202defdf6b9bd5da6591a4505050565b835f819003610f6f576040517f1662e66b00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b610100811115610fb6576040517f8f912ddb0000000000000000000000000000000000000000000000000000000081526004810182905261010060248201526044016104ba565b50816040811115610fff57604080517f622ed7780000000000000000000000000000000000000000000000000000000081526104ba918391600401918252602082015260400190565b61100c608083018361207d565b915050604081111561105657604080517fa4030c200000000000000000000000000000000000000000000000000000000081526104ba918391600401918252602082015260400190565b505050505050565b80602001354211156110a8576040517f3f3a820c000000000000000000000000000000000000000000000000000000008152602082013560048201524260248201526044016104ba565b6001600160a01b0383165f9081526003602052604090205481358114611113576040517f1d8af0460000000000000000000000000000000000000000000000000000000081526001600160a01b038516600482015260248101829052823560448201526064016104ba565b5f5f61113a6111288787868860200135610dd0565b611135604087018761207d565b6113ca565b5090925090505f816003811115611153576111536120de565b1415806111725750856001600160a01b0316826001600160a01b031614155b156111bc576040517f5db7b2d30000000000000000000000000000000000000000000000000000000081526001600160a01b038088166004830152831660248201526044016104ba565b50506001600160a01b039093165f90815260036020526040902060019093019092555050565b6001600160a01b038881165f90815260026020526040902080547fffffffffffffffffffffffff00000000000000000000000000000000000000001691891691909117815560018101611236878983612159565b5060028101611246858783612159565b5082600382016112568282612252565b5082905060058201611268828261238b565b5050505050505050505050565b6001600160a01b038082165f9081526002602052604090205416806112d1576040517f232cb27a0000000000000000000000000000000000000000000000000000000081526001600160a01b03831660048201526024016104ba565b6001600160a01b0381163314611324576040517fb47938760000000000000000000000000000000000000000000000000000000081526001600160a01b03831660048201523360248201526044016104ba565b5050565b60606113537f0000000000000000000000000000000000000000000000000000000000000000611411565b905090565b60606113537f0000000000000000000000000000000000000000000000000000000000000000611411565b5f6105b661138f61144e565b836040517f19010000000000000000000000000000000000000000000000000000000000008152600281019290925260228201526042902090565b5f808060418490036113fe578435602086013560408701355f1a6113f089828585611577565b955095509550505050611408565b505f915060029050825b93509350939050565b60605f61141d8361163f565b6040805160208082528183019092529192505f91906020820181803683375050509182525060208101929092525090565b5f306001600160a01b037f0000000000000000000000000000000000000000000000000000000000000000161480156114a657507f000000000000000000000000000000000000000000000000000000000000000046145b156114d057507f000000000000000000000000000000000000000000000000000000000000000090565b611353604080517f8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f60208201527f0000000000000000000000000000000000000000000000000000000000000000918101919091527f000000000000000000000000000000000000000000000000000000000000000060608201524660808201523060a08201525f9060c00160405160208183030381529060405280519060200120905090565b5f80807f7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a08411156115b057505f91506003905082611635565b604080515f808252602082018084528a905260ff891692820192909252606081018790526080810186905260019060a0016020604051602081039080840390855afa158015611601573d5f5f3e3d5ffd5b5050604051601f1901519150506001600160a01b03811661162c57505f925060019150829050611635565b92505f91508190505b9450945094915050565b5f60ff8216601f8111156105b6576040517fb3512b0c00000000000000000000000000000000000000000000000000000000815260040160405180910390fd5b50805461168b90612005565b5f825580601f1061169a575050565b601f0160209004905f5260205f20906116b391906116b5565b565b5f5b808211156116cc575f818401556001016116b7565b505050565b80356001600160a01b03811681146116e7575f5ffd5b919050565b5f602082840312156116fc575f5ffd5b611705826116d1565b9392505050565b608081016105b682846fffffffffffffffffffffffffffffffff81511682526fffffffffffffffffffffffffffffffff60208201511660208301526fffffffffffffffffffffffffffffffff60408201511660408301526fffffffffffffffffffffffffffffffff60608201511660608301525050565b5f5f60408385031215611794575f5ffd5b50508035926020909101359150565b602080825282518282018190525f918401906040840190835b818110156117e35783516001600160a01b03168352602093840193909201916001016117bc565b509095945050505050565b5f5f83601f8401126117fe575f5ffd5b50813567ffffffffffffffff811115611815575f5ffd5b60208301915083602082850101111561182c575f5ffd5b9250929050565b5f60a08284031215611843575f5ffd5b50919050565b5f60808284031215611843575f5ffd5b5f60608284031215611843575f5ffd5b5f5f5f5f5f5f5f5f610120898b031215611881575f5ffd5b61188a896116d1565b9750602089013567ffffffffffffffff8111156118a5575f5ffd5b6118b18b828c016117ee565b909850965050604089013567ffffffffffffffff8111156118d0575f5ffd5b6118dc8b828c016117ee565b909650945050606089013567ffffffffffffffff8111156118fb575f5ffd5b6119078b828c01611833565b9350506119178a60808b01611849565b915061010089013567ffffffffffffffff811115611933575f5ffd5b61193f8b828c01611859565b9150509295985092959890939650565b5f81518084528060208401602086015e5f602082860101526020601f19601f83011685010191505092915050565b602081526001600160a01b0382511660208201525f602083015161010060408401526119ad61012084018261194f565b90506040840151601f198483030160608501526119ca828261194f565b9150506060840151601f1984830301608085015267ffffffffffffffff815116825267ffffffffffffffff602082015116602083015267ffffffffffffffff604082015116604083015263ffffffff60608201511660608301526080810151905060a06080830152611a3f60a083018261194f565b608086015180516fffffffffffffffffffffffffffffffff90811660a08801526020820151811660c08801526040820151811660e08801526060820151166101008701529092509050509392505050565b5f5f5f5f5f5f5f610100888a031215611aa7575f5ffd5b611ab0886116d1565b9650602088013567ffffffffffffffff811115611acb575f5ffd5b611ad78a828b016117ee565b909750955050604088013567ffffffffffffffff811115611af6575f5ffd5b611b028a828b016117ee565b909550935050606088013567ffffffffffffffff811115611b21575f5ffd5b611b2d8a828b01611833565b925050611b3d8960808a01611849565b905092959891949750929550565b7fff000000000000000000000000000000000000000000000000000000000000008816815260e060208201525f611b8560e083018961194f565b8281036040840152611b97818961194f565b606084018890526001600160a01b038716608085015260a0840186905283810360c0850152845180825260208087019350909101905f5b81811015611bec578351835260209384019390920191600101611bce565b50909b9a5050505050505050505050565b5f5f5f5f60808587031215611c10575f5ffd5b611c19856116d1565b9350611c27602086016116d1565b93969395505050506040820135916060013590565b6001600160a01b038316815260a0810161170560208301846fffffffffffffffffffffffffffffffff81511682526fffffffffffffffffffffffffffffffff60208201511660208301526fffffffffffffffffffffffffffffffff60408201511660408301526fffffffffffffffffffffffffffffffff60608201511660608301525050565b5f5f5f60608486031215611cd4575f5ffd5b611cdd846116d1565b9250611ceb602085016116d1565b9150604084013567ffffffffffffffff811115611d06575f5ffd5b611d1286828701611859565b9150509250925092565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52604160045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52601160045260245ffd5b818103818111156105b6576105b6611d49565b808201808211156105b6576105b6611d49565b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603260045260245ffd5b81835281816020850137505f602082840101525f6020601f19601f840116840101905092915050565b67ffffffffffffffff81168114611e07575f5ffd5b50565b63ffffffff81168114611e07575f5ffd5b5f5f83357fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe1843603018112611e4e575f5ffd5b830160208101925035905067ffffffffffffffff811115611e6d575f5ffd5b80360382131561182c575f5ffd5b6fffffffffffffffffffffffffffffffff81168114611e07575f5ffd5b8035611ea381611e7b565b6fffffffffffffffffffffffffffffffff1682526020810135611ec581611e7b565b6fffffffffffffffffffffffffffffffff1660208301526040810135611eea81611e7b565b6fffffffffffffffffffffffffffffffff1660408301526060810135611f0f81611e7b565b6fffffffffffffffffffffffffffffffff81166060840152505050565b60e081525f611f3f60e08301888a611dc9565b8281036020840152611f52818789611dc9565b905082810360408401528435611f6781611df2565b67ffffffffffffffff1681526020850135611f8181611df2565b67ffffffffffffffff1660208201526040850135611f9e81611df2565b67ffffffffffffffff1660408201526060850135611fbb81611e0a565b63ffffffff166060820152611fd36080860186611e1b565b60a06080840152611fe860a084018284611dc9565b9350505050611ffa6060830184611e98565b979650505050505050565b600181811c9082168061201957607f821691505b602082108103611843577f4e487b71000000000000000000000000000000000000000000000000000000005f52602260045260245ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52603160045260245ffd5b5f5f83357fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe18436030181126120b0575f5ffd5b83018035915067ffffffffffffffff8211156120ca575f5ffd5b60200191503681900382131561182c575f5ffd5b7f4e487b71000000000000000000000000000000000000000000000000000000005f52602160045260245ffd5b601f8211156116cc57828211156116cc57805f5260205f20601f840160051c602085101561213657505f5b90810190601f840160051c035f5b81811015611056575f83820155600101612144565b67ffffffffffffffff83111561217157612171611d1c565b6121858361217f8354612005565b8361210b565b5f601f8411600181146121d5575f851561219f5750838201355b7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff600387901b1c1916600186901b17835561224b565b5f83815260208120601f198716915b8281101561220457868501358255602094850194600190920191016121e4565b508682101561223f577fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff60f88860031b161c19848701351681555b505060018560011b0183555b5050505050565b813561225d81611df2565b8154602084013561226d81611df2565b6fffffffffffffffff00000000000000008160401b1667ffffffffffffffff84167fffffffffffffffffffffffffffffffff000000000000000000000000000000008416171784555050505f60408301356122c781611df2565b82547fffffffffffffffff0000000000000000ffffffffffffffffffffffffffffffff1660809190911b77ffffffffffffffff0000000000000000000000000000000016178255505f606083013561231e81611e0a565b82547fffffffff00000000ffffffffffffffffffffffffffffffffffffffffffffffff1660c09190911b7bffffffff0000000000000000000000000000000000000000000000001617825550612377608083018361207d565b612385818360018601612159565b50505050565b813561239681611e7b565b81547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff82161782555060208201356123df81611e7b565b81546fffffffffffffffffffffffffffffffff16608082901b7fffffffffffffffffffffffffffffffff00000000000000000000000000000000161782555060018101604083013561243081611e7b565b81547fffffffffffffffffffffffffffffffff00000000000000000000000000000000166fffffffffffffffffffffffffffffffff821617825550606083013561247981611e7b565b81546fffffffffffffffffffffffffffffffff16608082901b7fffffffffffffffffffffffffffffffff000000000000000000000000000000001617825561238556fea164736f6c6343000825000a",
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

// REGISTRATIONTYPEHASH is a free data retrieval call binding the contract method 0x1494e2f6.
//
// Solidity: function REGISTRATION_TYPEHASH() view returns(bytes32)
func (_Registry *RegistryCaller) REGISTRATIONTYPEHASH(opts *bind.CallOpts) ([32]byte, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "REGISTRATION_TYPEHASH")

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// REGISTRATIONTYPEHASH is a free data retrieval call binding the contract method 0x1494e2f6.
//
// Solidity: function REGISTRATION_TYPEHASH() view returns(bytes32)
func (_Registry *RegistrySession) REGISTRATIONTYPEHASH() ([32]byte, error) {
	return _Registry.Contract.REGISTRATIONTYPEHASH(&_Registry.CallOpts)
}

// REGISTRATIONTYPEHASH is a free data retrieval call binding the contract method 0x1494e2f6.
//
// Solidity: function REGISTRATION_TYPEHASH() view returns(bytes32)
func (_Registry *RegistryCallerSession) REGISTRATIONTYPEHASH() ([32]byte, error) {
	return _Registry.Contract.REGISTRATIONTYPEHASH(&_Registry.CallOpts)
}

// Eip712Domain is a free data retrieval call binding the contract method 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (_Registry *RegistryCaller) Eip712Domain(opts *bind.CallOpts) (struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "eip712Domain")

	outstruct := new(struct {
		Fields            [1]byte
		Name              string
		Version           string
		ChainId           *big.Int
		VerifyingContract common.Address
		Salt              [32]byte
		Extensions        []*big.Int
	})
	if err != nil {
		return *outstruct, err
	}

	outstruct.Fields = *abi.ConvertType(out[0], new([1]byte)).(*[1]byte)
	outstruct.Name = *abi.ConvertType(out[1], new(string)).(*string)
	outstruct.Version = *abi.ConvertType(out[2], new(string)).(*string)
	outstruct.ChainId = *abi.ConvertType(out[3], new(*big.Int)).(**big.Int)
	outstruct.VerifyingContract = *abi.ConvertType(out[4], new(common.Address)).(*common.Address)
	outstruct.Salt = *abi.ConvertType(out[5], new([32]byte)).(*[32]byte)
	outstruct.Extensions = *abi.ConvertType(out[6], new([]*big.Int)).(*[]*big.Int)

	return *outstruct, err

}

// Eip712Domain is a free data retrieval call binding the contract method 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (_Registry *RegistrySession) Eip712Domain() (struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}, error) {
	return _Registry.Contract.Eip712Domain(&_Registry.CallOpts)
}

// Eip712Domain is a free data retrieval call binding the contract method 0x84b0196e.
//
// Solidity: function eip712Domain() view returns(bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)
func (_Registry *RegistryCallerSession) Eip712Domain() (struct {
	Fields            [1]byte
	Name              string
	Version           string
	ChainId           *big.Int
	VerifyingContract common.Address
	Salt              [32]byte
	Extensions        []*big.Int
}, error) {
	return _Registry.Contract.Eip712Domain(&_Registry.CallOpts)
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

// NonceOf is a free data retrieval call binding the contract method 0xed2a2d64.
//
// Solidity: function nonceOf(address provider) view returns(uint256)
func (_Registry *RegistryCaller) NonceOf(opts *bind.CallOpts, provider common.Address) (*big.Int, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "nonceOf", provider)

	if err != nil {
		return *new(*big.Int), err
	}

	out0 := *abi.ConvertType(out[0], new(*big.Int)).(**big.Int)

	return out0, err

}

// NonceOf is a free data retrieval call binding the contract method 0xed2a2d64.
//
// Solidity: function nonceOf(address provider) view returns(uint256)
func (_Registry *RegistrySession) NonceOf(provider common.Address) (*big.Int, error) {
	return _Registry.Contract.NonceOf(&_Registry.CallOpts, provider)
}

// NonceOf is a free data retrieval call binding the contract method 0xed2a2d64.
//
// Solidity: function nonceOf(address provider) view returns(uint256)
func (_Registry *RegistryCallerSession) NonceOf(provider common.Address) (*big.Int, error) {
	return _Registry.Contract.NonceOf(&_Registry.CallOpts, provider)
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

// RegistrationDigest is a free data retrieval call binding the contract method 0xbaf2b110.
//
// Solidity: function registrationDigest(address provider, address owner, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_Registry *RegistryCaller) RegistrationDigest(opts *bind.CallOpts, provider common.Address, owner common.Address, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	var out []interface{}
	err := _Registry.contract.Call(opts, &out, "registrationDigest", provider, owner, nonce, deadline)

	if err != nil {
		return *new([32]byte), err
	}

	out0 := *abi.ConvertType(out[0], new([32]byte)).(*[32]byte)

	return out0, err

}

// RegistrationDigest is a free data retrieval call binding the contract method 0xbaf2b110.
//
// Solidity: function registrationDigest(address provider, address owner, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_Registry *RegistrySession) RegistrationDigest(provider common.Address, owner common.Address, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	return _Registry.Contract.RegistrationDigest(&_Registry.CallOpts, provider, owner, nonce, deadline)
}

// RegistrationDigest is a free data retrieval call binding the contract method 0xbaf2b110.
//
// Solidity: function registrationDigest(address provider, address owner, uint256 nonce, uint256 deadline) view returns(bytes32)
func (_Registry *RegistryCallerSession) RegistrationDigest(provider common.Address, owner common.Address, nonce *big.Int, deadline *big.Int) ([32]byte, error) {
	return _Registry.Contract.RegistrationDigest(&_Registry.CallOpts, provider, owner, nonce, deadline)
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

// Register is a paid mutator transaction binding the contract method 0x4e3b4d8a.
//
// Solidity: function register(address provider, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices, (uint256,uint256,bytes) proof) returns()
func (_Registry *RegistryTransactor) Register(opts *bind.TransactOpts, provider common.Address, url string, region string, capacity RegistryCapacity, prices RegistryPrices, proof RegistryProof) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "register", provider, url, region, capacity, prices, proof)
}

// Register is a paid mutator transaction binding the contract method 0x4e3b4d8a.
//
// Solidity: function register(address provider, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices, (uint256,uint256,bytes) proof) returns()
func (_Registry *RegistrySession) Register(provider common.Address, url string, region string, capacity RegistryCapacity, prices RegistryPrices, proof RegistryProof) (*types.Transaction, error) {
	return _Registry.Contract.Register(&_Registry.TransactOpts, provider, url, region, capacity, prices, proof)
}

// Register is a paid mutator transaction binding the contract method 0x4e3b4d8a.
//
// Solidity: function register(address provider, string url, string region, (uint64,uint64,uint64,uint32,string) capacity, (uint128,uint128,uint128,uint128) prices, (uint256,uint256,bytes) proof) returns()
func (_Registry *RegistryTransactorSession) Register(provider common.Address, url string, region string, capacity RegistryCapacity, prices RegistryPrices, proof RegistryProof) (*types.Transaction, error) {
	return _Registry.Contract.Register(&_Registry.TransactOpts, provider, url, region, capacity, prices, proof)
}

// Transfer is a paid mutator transaction binding the contract method 0xf0c43ea1.
//
// Solidity: function transfer(address provider, address newOwner, (uint256,uint256,bytes) proof) returns()
func (_Registry *RegistryTransactor) Transfer(opts *bind.TransactOpts, provider common.Address, newOwner common.Address, proof RegistryProof) (*types.Transaction, error) {
	return _Registry.contract.Transact(opts, "transfer", provider, newOwner, proof)
}

// Transfer is a paid mutator transaction binding the contract method 0xf0c43ea1.
//
// Solidity: function transfer(address provider, address newOwner, (uint256,uint256,bytes) proof) returns()
func (_Registry *RegistrySession) Transfer(provider common.Address, newOwner common.Address, proof RegistryProof) (*types.Transaction, error) {
	return _Registry.Contract.Transfer(&_Registry.TransactOpts, provider, newOwner, proof)
}

// Transfer is a paid mutator transaction binding the contract method 0xf0c43ea1.
//
// Solidity: function transfer(address provider, address newOwner, (uint256,uint256,bytes) proof) returns()
func (_Registry *RegistryTransactorSession) Transfer(provider common.Address, newOwner common.Address, proof RegistryProof) (*types.Transaction, error) {
	return _Registry.Contract.Transfer(&_Registry.TransactOpts, provider, newOwner, proof)
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

// RegistryEIP712DomainChangedIterator is returned from FilterEIP712DomainChanged and is used to iterate over the raw logs and unpacked data for EIP712DomainChanged events raised by the Registry contract.
type RegistryEIP712DomainChangedIterator struct {
	Event *RegistryEIP712DomainChanged // Event containing the contract specifics and raw log

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
func (it *RegistryEIP712DomainChangedIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryEIP712DomainChanged)
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
		it.Event = new(RegistryEIP712DomainChanged)
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
func (it *RegistryEIP712DomainChangedIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryEIP712DomainChangedIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryEIP712DomainChanged represents a EIP712DomainChanged event raised by the Registry contract.
type RegistryEIP712DomainChanged struct {
	Raw types.Log // Blockchain specific contextual infos
}

// FilterEIP712DomainChanged is a free log retrieval operation binding the contract event 0x0a6387c9ea3628b88a633bb4f3b151770f70085117a15f9bf3787cda53f13d31.
//
// Solidity: event EIP712DomainChanged()
func (_Registry *RegistryFilterer) FilterEIP712DomainChanged(opts *bind.FilterOpts) (*RegistryEIP712DomainChangedIterator, error) {

	logs, sub, err := _Registry.contract.FilterLogs(opts, "EIP712DomainChanged")
	if err != nil {
		return nil, err
	}
	return &RegistryEIP712DomainChangedIterator{contract: _Registry.contract, event: "EIP712DomainChanged", logs: logs, sub: sub}, nil
}

// WatchEIP712DomainChanged is a free log subscription operation binding the contract event 0x0a6387c9ea3628b88a633bb4f3b151770f70085117a15f9bf3787cda53f13d31.
//
// Solidity: event EIP712DomainChanged()
func (_Registry *RegistryFilterer) WatchEIP712DomainChanged(opts *bind.WatchOpts, sink chan<- *RegistryEIP712DomainChanged) (event.Subscription, error) {

	logs, sub, err := _Registry.contract.WatchLogs(opts, "EIP712DomainChanged")
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryEIP712DomainChanged)
				if err := _Registry.contract.UnpackLog(event, "EIP712DomainChanged", log); err != nil {
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

// ParseEIP712DomainChanged is a log parse operation binding the contract event 0x0a6387c9ea3628b88a633bb4f3b151770f70085117a15f9bf3787cda53f13d31.
//
// Solidity: event EIP712DomainChanged()
func (_Registry *RegistryFilterer) ParseEIP712DomainChanged(log types.Log) (*RegistryEIP712DomainChanged, error) {
	event := new(RegistryEIP712DomainChanged)
	if err := _Registry.contract.UnpackLog(event, "EIP712DomainChanged", log); err != nil {
		return nil, err
	}
	event.Raw = log
	return event, nil
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

// RegistryProviderTransferredIterator is returned from FilterProviderTransferred and is used to iterate over the raw logs and unpacked data for ProviderTransferred events raised by the Registry contract.
type RegistryProviderTransferredIterator struct {
	Event *RegistryProviderTransferred // Event containing the contract specifics and raw log

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
func (it *RegistryProviderTransferredIterator) Next() bool {
	// If the iterator failed, stop iterating
	if it.fail != nil {
		return false
	}
	// If the iterator completed, deliver directly whatever's available
	if it.done {
		select {
		case log := <-it.logs:
			it.Event = new(RegistryProviderTransferred)
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
		it.Event = new(RegistryProviderTransferred)
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
func (it *RegistryProviderTransferredIterator) Error() error {
	return it.fail
}

// Close terminates the iteration process, releasing any pending underlying
// resources.
func (it *RegistryProviderTransferredIterator) Close() error {
	it.sub.Unsubscribe()
	return nil
}

// RegistryProviderTransferred represents a ProviderTransferred event raised by the Registry contract.
type RegistryProviderTransferred struct {
	Provider common.Address
	From     common.Address
	To       common.Address
	Raw      types.Log // Blockchain specific contextual infos
}

// FilterProviderTransferred is a free log retrieval operation binding the contract event 0xf0d9009b8afd910af7b7be19ab783afc5e208394d9b8db202defdf6b9bd5da65.
//
// Solidity: event ProviderTransferred(address indexed provider, address indexed from, address indexed to)
func (_Registry *RegistryFilterer) FilterProviderTransferred(opts *bind.FilterOpts, provider []common.Address, from []common.Address, to []common.Address) (*RegistryProviderTransferredIterator, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var fromRule []interface{}
	for _, fromItem := range from {
		fromRule = append(fromRule, fromItem)
	}
	var toRule []interface{}
	for _, toItem := range to {
		toRule = append(toRule, toItem)
	}

	logs, sub, err := _Registry.contract.FilterLogs(opts, "ProviderTransferred", providerRule, fromRule, toRule)
	if err != nil {
		return nil, err
	}
	return &RegistryProviderTransferredIterator{contract: _Registry.contract, event: "ProviderTransferred", logs: logs, sub: sub}, nil
}

// WatchProviderTransferred is a free log subscription operation binding the contract event 0xf0d9009b8afd910af7b7be19ab783afc5e208394d9b8db202defdf6b9bd5da65.
//
// Solidity: event ProviderTransferred(address indexed provider, address indexed from, address indexed to)
func (_Registry *RegistryFilterer) WatchProviderTransferred(opts *bind.WatchOpts, sink chan<- *RegistryProviderTransferred, provider []common.Address, from []common.Address, to []common.Address) (event.Subscription, error) {

	var providerRule []interface{}
	for _, providerItem := range provider {
		providerRule = append(providerRule, providerItem)
	}
	var fromRule []interface{}
	for _, fromItem := range from {
		fromRule = append(fromRule, fromItem)
	}
	var toRule []interface{}
	for _, toItem := range to {
		toRule = append(toRule, toItem)
	}

	logs, sub, err := _Registry.contract.WatchLogs(opts, "ProviderTransferred", providerRule, fromRule, toRule)
	if err != nil {
		return nil, err
	}
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case log := <-logs:
				// New log arrived, parse the event and forward to the user
				event := new(RegistryProviderTransferred)
				if err := _Registry.contract.UnpackLog(event, "ProviderTransferred", log); err != nil {
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

// ParseProviderTransferred is a log parse operation binding the contract event 0xf0d9009b8afd910af7b7be19ab783afc5e208394d9b8db202defdf6b9bd5da65.
//
// Solidity: event ProviderTransferred(address indexed provider, address indexed from, address indexed to)
func (_Registry *RegistryFilterer) ParseProviderTransferred(log types.Log) (*RegistryProviderTransferred, error) {
	event := new(RegistryProviderTransferred)
	if err := _Registry.contract.UnpackLog(event, "ProviderTransferred", log); err != nil {
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
