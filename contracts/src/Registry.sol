// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.37;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title Registry
/// @notice The directory of compute providers. A provider is an Ethereum
/// address (its gateway's key); the owner is the organisation wallet that
/// registered it and that receives its earnings in the Market.
/// @dev A registration binds provider to owner and needs the provider key's
/// consent: an EIP-712 `Registration(provider, owner, nonce, deadline)`
/// signed by the provider address (proof of possession). Only that owner may
/// update, transfer (again with the provider's signature, naming the new
/// owner) or deregister it. Deregistration releases the binding; the nonce
/// survives it, so no signature is ever accepted twice. Every loop is
/// bounded: removal is swap-and-pop and listing is paginated.
contract Registry is EIP712 {
    /// @notice Advertised capacity of a provider. Informational: the Market
    /// does not check orders against it.
    struct Capacity {
        uint64 cpuMillis;
        uint64 memoryBytes;
        uint64 storageBytes;
        uint32 gpus;
        string gpuModel;
    }

    /// @notice Unit prices in token base units per second:
    /// per millicore, per MiB of memory, per GiB of storage and per GPU.
    struct Prices {
        uint128 cpuMilli;
        uint128 memoryMiB;
        uint128 storageGiB;
        uint128 gpu;
    }

    /// @notice The provider key's consent to be bound to an owner: `nonce`
    /// must equal `nonceOf(provider)`, `deadline` (unix seconds) must not have
    /// passed, and `signature` (65 bytes, r‖s‖v) must be the provider's over
    /// the EIP-712 `Registration(provider, owner, nonce, deadline)`.
    struct Proof {
        uint256 nonce;
        uint256 deadline;
        bytes signature;
    }

    /// @notice A provider's full record.
    struct Provider {
        address owner;
        string url;
        string region;
        Capacity capacity;
        Prices prices;
    }

    /// @notice Longest gateway URL accepted, in bytes.
    uint256 public constant MAX_URL_LENGTH = 256;
    /// @notice Longest region accepted, in bytes.
    uint256 public constant MAX_REGION_LENGTH = 64;
    /// @notice Longest GPU model accepted, in bytes.
    uint256 public constant MAX_GPU_MODEL_LENGTH = 64;
    /// @notice Largest page `providersPage` returns.
    uint256 public constant MAX_PAGE_SIZE = 100;

    /// @notice EIP-712 type hash of the provider's consent.
    bytes32 public constant REGISTRATION_TYPEHASH =
        keccak256("Registration(address provider,address owner,uint256 nonce,uint256 deadline)");

    mapping(address provider => Provider) private _providers;
    /// @dev Proofs used per provider; never reset.
    mapping(address provider => uint256) private _nonces;
    /// @dev Position in `_list` plus one; zero means not registered.
    mapping(address provider => uint256) private _position;
    address[] private _list;

    /// @notice The provider address is zero.
    error ZeroProvider();
    /// @notice The provider is registered already, by the caller.
    error ProviderAlreadyRegistered(address provider);
    /// @notice The provider is registered by another owner.
    error ProviderTaken(address provider, address owner);
    /// @notice The provider is not registered.
    error ProviderNotRegistered(address provider);
    /// @notice The caller is not the provider's owner.
    error NotProviderOwner(address provider, address caller);
    /// @notice The gateway URL is empty.
    error EmptyURL();
    /// @notice The gateway URL is longer than `MAX_URL_LENGTH`.
    error URLTooLong(uint256 length, uint256 max);
    /// @notice The region is longer than `MAX_REGION_LENGTH`.
    error RegionTooLong(uint256 length, uint256 max);
    /// @notice The GPU model is longer than `MAX_GPU_MODEL_LENGTH`.
    error GpuModelTooLong(uint256 length, uint256 max);
    /// @notice The page size is larger than `MAX_PAGE_SIZE`.
    error PageTooLarge(uint256 limit, uint256 max);
    /// @notice The proof's deadline has passed.
    error ProofExpired(uint256 deadline, uint256 timestamp);
    /// @notice The proof's nonce is not the provider's next one: it was used
    /// already (a replay) or is from the future.
    error InvalidNonce(address provider, uint256 expected, uint256 given);
    /// @notice The proof is not the provider key's signature of this
    /// registration (another key, another owner, chain or registry, or a
    /// malformed signature); `signer` is what it recovers to, or zero.
    error InvalidProviderSignature(address provider, address signer);
    /// @notice A transfer to the zero address or to the current owner.
    error InvalidNewOwner(address newOwner);

    /// @notice A provider was registered and bound to `owner`.
    event ProviderRegistered(
        address indexed provider, address indexed owner, string url, string region, Capacity capacity, Prices prices
    );
    /// @notice A provider's metadata was replaced.
    event ProviderUpdated(
        address indexed provider, address indexed owner, string url, string region, Capacity capacity, Prices prices
    );
    /// @notice The provider's binding moved from `from` to `to`, with the
    /// provider key's consent. Its record is otherwise unchanged.
    event ProviderTransferred(address indexed provider, address indexed from, address indexed to);
    /// @notice A provider was removed and its binding to `owner` released.
    event ProviderDeregistered(address indexed provider, address indexed owner);

    constructor() EIP712("gridnode Registry", "1") {}

    /// @notice Registers `provider`, owned by the caller, with the provider
    /// key's `proof` that it consents to the caller as its owner.
    /// @dev Anyone may call with a proof naming them. Reverts with
    /// `ProviderAlreadyRegistered` if the caller has it already,
    /// `ProviderTaken` if another owner has it, and `ProofExpired`,
    /// `InvalidNonce` or `InvalidProviderSignature` for a bad proof.
    function register(
        address provider,
        string calldata url,
        string calldata region,
        Capacity calldata capacity,
        Prices calldata prices,
        Proof calldata proof
    ) external {
        if (provider == address(0)) revert ZeroProvider();
        address owner = _providers[provider].owner;
        if (owner == msg.sender) revert ProviderAlreadyRegistered(provider);
        if (owner != address(0)) revert ProviderTaken(provider, owner);
        _validate(url, region, capacity);
        _useProof(provider, msg.sender, proof);

        _list.push(provider);
        _position[provider] = _list.length;
        _store(provider, msg.sender, url, region, capacity, prices);
        emit ProviderRegistered(provider, msg.sender, url, region, capacity, prices);
    }

    /// @notice Replaces the metadata of `provider`.
    /// @dev Owner of `provider` only. Orders created earlier keep the prices
    /// and payee they were created with.
    function update(
        address provider,
        string calldata url,
        string calldata region,
        Capacity calldata capacity,
        Prices calldata prices
    ) external {
        _onlyOwner(provider);
        _validate(url, region, capacity);

        _store(provider, msg.sender, url, region, capacity, prices);
        emit ProviderUpdated(provider, msg.sender, url, region, capacity, prices);
    }

    /// @notice Moves `provider` to `newOwner`, who is paid for its orders
    /// created from now on; `proof` is the provider key's consent naming
    /// `newOwner`.
    /// @dev Owner of `provider` only. Open orders keep their payee.
    function transfer(address provider, address newOwner, Proof calldata proof) external {
        _onlyOwner(provider);
        if (newOwner == address(0) || newOwner == msg.sender) revert InvalidNewOwner(newOwner);
        _useProof(provider, newOwner, proof);
        _providers[provider].owner = newOwner;
        emit ProviderTransferred(provider, msg.sender, newOwner);
    }

    /// @notice Removes `provider` and releases its binding to the caller.
    /// @dev Owner of `provider` only. Open orders are unaffected: they pay the
    /// payee recorded at order time.
    function deregister(address provider) external {
        _onlyOwner(provider);

        uint256 position = _position[provider];
        uint256 last = _list.length;
        if (position != last) {
            address moved = _list[last - 1];
            _list[position - 1] = moved;
            _position[moved] = position;
        }
        _list.pop();
        delete _position[provider];
        delete _providers[provider];
        emit ProviderDeregistered(provider, msg.sender);
    }

    /// @notice Whether `provider` is registered.
    function isRegistered(address provider) external view returns (bool) {
        return _position[provider] != 0;
    }

    /// @notice The nonce the provider's next proof must carry.
    function nonceOf(address provider) external view returns (uint256) {
        return _nonces[provider];
    }

    /// @notice The EIP-712 digest the provider key signs to consent to
    /// `owner` with `nonce` and `deadline`.
    function registrationDigest(address provider, address owner, uint256 nonce, uint256 deadline)
        public
        view
        returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(REGISTRATION_TYPEHASH, provider, owner, nonce, deadline)));
    }

    /// @notice The owner of `provider`, or the zero address if unregistered.
    function ownerOf(address provider) external view returns (address) {
        return _providers[provider].owner;
    }

    /// @notice The unit prices of `provider`; zero if unregistered.
    function pricesOf(address provider) external view returns (Prices memory) {
        return _providers[provider].prices;
    }

    /// @notice What the Market needs at order time: the payee and prices.
    /// @return owner The owner, or the zero address if unregistered.
    /// @return prices The unit prices; zero if unregistered.
    function terms(address provider) external view returns (address owner, Prices memory prices) {
        Provider storage p = _providers[provider];
        return (p.owner, p.prices);
    }

    /// @notice The full record of `provider`; all zero if unregistered.
    function getProvider(address provider) external view returns (Provider memory) {
        return _providers[provider];
    }

    /// @notice The number of registered providers.
    function providerCount() external view returns (uint256) {
        return _list.length;
    }

    /// @notice Up to `limit` registered providers starting at `offset`.
    /// @dev The order is arbitrary and changes on deregistration (swap-and-pop),
    /// so pages read across blocks may skip or repeat an entry. Reverts with
    /// `PageTooLarge` if `limit` exceeds `MAX_PAGE_SIZE`; an offset past the
    /// end returns an empty page.
    function providersPage(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        if (limit > MAX_PAGE_SIZE) revert PageTooLarge(limit, MAX_PAGE_SIZE);
        uint256 count = _list.length;
        if (offset >= count) return new address[](0);
        uint256 n = count - offset;
        if (n > limit) n = limit;
        page = new address[](n);
        for (uint256 i = 0; i < n; ++i) {
            page[i] = _list[offset + i];
        }
    }

    /// @dev Checks the proof in the order deadline, nonce, signature, then
    /// consumes the nonce.
    function _useProof(address provider, address owner, Proof calldata proof) private {
        if (block.timestamp > proof.deadline) revert ProofExpired(proof.deadline, block.timestamp);
        uint256 nonce = _nonces[provider];
        if (proof.nonce != nonce) revert InvalidNonce(provider, nonce, proof.nonce);
        (address signer, ECDSA.RecoverError err,) =
            ECDSA.tryRecoverCalldata(registrationDigest(provider, owner, nonce, proof.deadline), proof.signature);
        if (err != ECDSA.RecoverError.NoError || signer != provider) revert InvalidProviderSignature(provider, signer);
        unchecked {
            _nonces[provider] = nonce + 1;
        }
    }

    function _onlyOwner(address provider) private view {
        address owner = _providers[provider].owner;
        if (owner == address(0)) revert ProviderNotRegistered(provider);
        if (owner != msg.sender) revert NotProviderOwner(provider, msg.sender);
    }

    function _validate(string calldata url, string calldata region, Capacity calldata capacity) private pure {
        uint256 n = bytes(url).length;
        if (n == 0) revert EmptyURL();
        if (n > MAX_URL_LENGTH) revert URLTooLong(n, MAX_URL_LENGTH);
        n = bytes(region).length;
        if (n > MAX_REGION_LENGTH) revert RegionTooLong(n, MAX_REGION_LENGTH);
        n = bytes(capacity.gpuModel).length;
        if (n > MAX_GPU_MODEL_LENGTH) revert GpuModelTooLong(n, MAX_GPU_MODEL_LENGTH);
    }

    function _store(
        address provider,
        address owner,
        string calldata url,
        string calldata region,
        Capacity calldata capacity,
        Prices calldata prices
    ) private {
        Provider storage p = _providers[provider];
        p.owner = owner;
        p.url = url;
        p.region = region;
        p.capacity = capacity;
        p.prices = prices;
    }
}
