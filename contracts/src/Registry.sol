// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.37;

/// @title Registry
/// @notice The directory of compute providers. A provider is an Ethereum
/// address (its gateway's key); the owner is the organisation wallet that
/// registered it and that receives its earnings in the Market.
/// @dev The first registration binds provider to owner; only that owner may
/// update or deregister it. Deregistration releases the binding, after which
/// any owner may register the address again. Every loop is bounded: removal is
/// swap-and-pop and listing is paginated.
contract Registry {
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

    mapping(address provider => Provider) private _providers;
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

    /// @notice A provider was registered and bound to `owner`.
    event ProviderRegistered(
        address indexed provider, address indexed owner, string url, string region, Capacity capacity, Prices prices
    );
    /// @notice A provider's metadata was replaced.
    event ProviderUpdated(
        address indexed provider, address indexed owner, string url, string region, Capacity capacity, Prices prices
    );
    /// @notice A provider was removed and its binding to `owner` released.
    event ProviderDeregistered(address indexed provider, address indexed owner);

    /// @notice Registers `provider`, owned by the caller.
    /// @dev Anyone may call. Reverts with `ProviderAlreadyRegistered` if the
    /// caller has it already and `ProviderTaken` if another owner has it.
    function register(
        address provider,
        string calldata url,
        string calldata region,
        Capacity calldata capacity,
        Prices calldata prices
    ) external {
        if (provider == address(0)) revert ZeroProvider();
        address owner = _providers[provider].owner;
        if (owner == msg.sender) revert ProviderAlreadyRegistered(provider);
        if (owner != address(0)) revert ProviderTaken(provider, owner);
        _validate(url, region, capacity);

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
