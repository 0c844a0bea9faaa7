// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Registry} from "./Registry.sol";

/// @title Market
/// @notice Credit accounts and escrowed compute orders, settled for the time
/// actually served. There is no admin: the token and registry are fixed at
/// deployment and nothing can be paused, upgraded or swept.
/// @dev Payments are pull payments: closing an order credits the payee's and
/// the buyer's credit accounts and only `withdraw` moves tokens out. Hence, at
/// all times, `token.balanceOf(this) == sum(creditOf) + sum(escrow of open
/// orders)` for a standard ERC20 (no fee on transfer, no rebasing).
contract Market is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Resources of an order. Memory and storage are billed in whole
    /// MiB and GiB, rounded up.
    struct Resources {
        uint64 cpuMillis;
        uint64 memoryBytes;
        uint64 storageBytes;
        uint32 gpus;
    }

    /// @notice Lifecycle of an order. `Open` orders past their end are
    /// waiting for `settle`; see `isActive` for "running now". `Cancelled`:
    /// ended early by the buyer; `Closed`: ended early by the provider's
    /// owner (the payee).
    enum Status {
        None,
        Open,
        Cancelled,
        Settled,
        Closed
    }

    /// @notice An order as returned by `getOrder`.
    struct OrderView {
        address buyer;
        address provider;
        address payee;
        Resources resources;
        uint64 start;
        uint64 end;
        uint256 escrow;
        bytes32 manifestHash;
        Status status;
    }

    /// @dev Storage layout, chosen so that settling reads two slots:
    /// slot 0 buyer|start|end|status, slot 1 payee|escrow, slot 2 provider,
    /// slot 3 resources, slot 4 manifestHash. uint40 seconds last until the
    /// year 36812; uint96 escrow holds 7.9e28 base units (7.9e10 tokens at 18
    /// decimals).
    struct Order {
        address buyer;
        uint40 start;
        uint40 end;
        Status status;
        address payee;
        uint96 escrow;
        address provider;
        Resources resources;
        bytes32 manifestHash;
    }

    /// @notice Bytes in a MiB, the memory billing unit.
    uint256 public constant MIB = 1 << 20;
    /// @notice Bytes in a GiB, the storage billing unit.
    uint256 public constant GIB = 1 << 30;
    /// @notice Longest order, in seconds.
    uint64 public constant MAX_DURATION = 365 days;
    /// @notice Most ids `settleBatch` accepts.
    uint256 public constant MAX_BATCH = 100;

    /// @notice The payment token.
    IERC20 public immutable token;
    /// @notice The provider registry prices and payees are read from.
    Registry public immutable registry;

    mapping(address account => uint256) private _credit;
    mapping(uint256 id => Order) private _orders;
    uint256 private _lastId;

    /// @notice A constructor argument is the zero address.
    error ZeroAddress();
    /// @notice A deposit or withdrawal of zero.
    error ZeroAmount();
    /// @notice The account has `available` credit but `required` is needed.
    error InsufficientCredit(uint256 available, uint256 required);
    /// @notice The provider is not registered.
    error ProviderNotRegistered(address provider);
    /// @notice The duration is zero.
    error ZeroDuration();
    /// @notice The duration exceeds `MAX_DURATION`.
    error DurationTooLong(uint64 duration, uint64 max);
    /// @notice All resources are zero.
    error EmptyResources();
    /// @notice The manifest hash is zero.
    error ZeroManifestHash();
    /// @notice The order costs nothing at the provider's prices.
    error ZeroEscrow();
    /// @notice The order's escrow does not fit in 96 bits.
    error EscrowTooLarge(uint256 escrow, uint256 max);
    /// @notice No order has this id.
    error UnknownOrder(uint256 id);
    /// @notice Only the order's buyer may cancel, extend or update its
    /// manifest.
    error NotBuyer(uint256 id, address caller);
    /// @notice The order was cancelled already.
    error OrderAlreadyCancelled(uint256 id);
    /// @notice The order was settled already.
    error OrderAlreadySettled(uint256 id);
    /// @notice The order has ended: it can no longer be cancelled, closed,
    /// extended or given a new manifest; settle it.
    error OrderEnded(uint256 id, uint64 end);
    /// @notice The order has not ended yet: only its buyer (`cancel`) or
    /// payee (`close`) may end it early.
    error OrderNotEnded(uint256 id, uint64 end);
    /// @notice The order would cost `escrow`, above the buyer's `maxEscrow`:
    /// the provider's prices rose after the buyer read them.
    error PriceAboveMaximum(uint256 escrow, uint256 maxEscrow);
    /// @notice Only the order's payee (the provider's owner at creation) may
    /// close it.
    error NotPayee(uint256 id, address caller);
    /// @notice The manifest hash given is the order's current one.
    error SameManifestHash(uint256 id);
    /// @notice The order was closed by its provider already.
    error OrderAlreadyClosed(uint256 id);
    /// @notice More ids than `MAX_BATCH`.
    error BatchTooLarge(uint256 length, uint256 max);

    /// @notice `amount` was pulled from `account` into its credit.
    event Deposited(address indexed account, uint256 amount);
    /// @notice `amount` of `account`'s credit was paid out to it.
    event Withdrawn(address indexed account, uint256 amount);
    /// @notice An order was created and `escrow` moved from the buyer's credit.
    event OrderCreated(
        uint256 indexed id,
        address indexed provider,
        address indexed buyer,
        address payee,
        Resources resources,
        uint256 escrow,
        bytes32 manifestHash,
        uint64 start,
        uint64 end
    );
    /// @notice The buyer cancelled an order: the payee was credited for the
    /// time served, the buyer refunded the rest.
    event OrderCancelled(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund);
    /// @notice An ended order was settled: the payee was credited.
    event OrderSettled(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund);
    /// @notice The buyer extended an order: `addedEscrow` moved from its
    /// credit into the order, which now ends at `end`.
    event OrderExtended(uint256 indexed id, uint256 addedEscrow, uint64 end);
    /// @notice The provider's owner closed an order early: the payee was
    /// credited for the time served, the buyer refunded the rest.
    event OrderClosed(uint256 indexed id, uint256 providerPaid, uint256 buyerRefund);
    /// @notice The buyer replaced the order's manifest hash.
    event ManifestUpdated(uint256 indexed id, bytes32 previousHash, bytes32 manifestHash);

    /// @param token_ Any standard ERC20 (no fee on transfer, no rebasing).
    /// @param registry_ The provider registry.
    constructor(address token_, address registry_) {
        if (token_ == address(0) || registry_ == address(0)) revert ZeroAddress();
        token = IERC20(token_);
        registry = Registry(registry_);
    }

    // ----------------------------------------------------------------- credit

    /// @notice Pulls `amount` tokens from the caller into its credit.
    /// @dev Anyone. Needs an allowance of at least `amount` for this contract.
    function deposit(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        _credit[msg.sender] += amount;
        emit Deposited(msg.sender, amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Pays `amount` of the caller's credit out in tokens.
    /// @dev Anyone, up to its own credit.
    function withdraw(uint256 amount) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        uint256 available = _credit[msg.sender];
        if (amount > available) revert InsufficientCredit(available, amount);
        unchecked {
            _credit[msg.sender] = available - amount;
        }
        emit Withdrawn(msg.sender, amount);
        token.safeTransfer(msg.sender, amount);
    }

    /// @notice The credit of `account`, in token base units.
    function creditOf(address account) external view returns (uint256) {
        return _credit[account];
    }

    // ----------------------------------------------------------------- orders

    /// @notice Buys `resources` from `provider` for `duration` seconds from
    /// now, escrowing their price from the caller's credit, provided it is at
    /// most `maxEscrow`.
    /// @dev Anyone with enough credit. Prices and payee (the provider's owner)
    /// are read from the registry now and fixed for the order's life.
    /// escrow = duration * (cpuMillis * cpuMilli + ceil(memoryBytes / MiB) *
    /// memoryMiB + ceil(storageBytes / GiB) * storageGiB + gpus * gpu).
    /// `maxEscrow` guards the buyer against a price change between its read
    /// and the order (`PriceAboveMaximum`).
    /// @return id The new order's id; ids start at 1.
    function createOrder(
        address provider,
        Resources calldata resources,
        uint64 duration,
        bytes32 manifestHash,
        uint256 maxEscrow
    ) external nonReentrant returns (uint256 id) {
        if (manifestHash == bytes32(0)) revert ZeroManifestHash();
        if (duration == 0) revert ZeroDuration();
        if (duration > MAX_DURATION) revert DurationTooLong(duration, MAX_DURATION);
        if (
            resources.cpuMillis == 0 && resources.memoryBytes == 0 && resources.storageBytes == 0
                && resources.gpus == 0
        ) revert EmptyResources();

        (address payee, uint256 escrow) = _quote(provider, resources, duration);
        if (escrow > maxEscrow) revert PriceAboveMaximum(escrow, maxEscrow);

        uint256 available = _credit[msg.sender];
        if (escrow > available) revert InsufficientCredit(available, escrow);
        unchecked {
            _credit[msg.sender] = available - escrow;
            id = ++_lastId;
        }

        uint40 start = uint40(block.timestamp);
        uint40 end = start + uint40(duration);
        _orders[id] = Order({
            buyer: msg.sender,
            start: start,
            end: end,
            status: Status.Open,
            payee: payee,
            escrow: uint96(escrow),
            provider: provider,
            resources: resources,
            manifestHash: manifestHash
        });
        emit OrderCreated(id, provider, msg.sender, payee, resources, escrow, manifestHash, start, end);
    }

    /// @notice Ends a running order early: the payee is credited for the
    /// seconds served so far, the buyer refunded the rest.
    /// @dev Buyer only, before the order's end. Cancelling in the block that
    /// created the order pays the provider nothing.
    function cancel(uint256 id) external nonReentrant {
        Order storage o = _orders[id];
        Status status = o.status;
        if (status != Status.Open) _revertClosed(id, status);
        if (o.buyer != msg.sender) revert NotBuyer(id, msg.sender);
        uint40 end = o.end;
        if (block.timestamp >= end) revert OrderEnded(id, end);

        o.status = Status.Cancelled;
        (uint256 paid, uint256 refund) = _pay(o, block.timestamp);
        emit OrderCancelled(id, paid, refund);
    }

    /// @notice Adds `duration` seconds to a running order at the price it was
    /// created with, escrowing that from the caller's credit. The order's
    /// payee and prices do not change.
    /// @dev Buyer only, before the order's end. The order may end at most
    /// `MAX_DURATION` after now, and its escrow must still fit in 96 bits.
    /// `DurationTooLong` carries `duration` if that alone exceeds
    /// `MAX_DURATION`, else how far after now the new end would be.
    function extend(uint256 id, uint64 duration) external nonReentrant {
        Order storage o = _orders[id];
        Status status = o.status;
        if (status != Status.Open) _revertClosed(id, status);
        if (o.buyer != msg.sender) revert NotBuyer(id, msg.sender);
        uint40 end = o.end;
        if (block.timestamp >= end) revert OrderEnded(id, end);
        if (duration == 0) revert ZeroDuration();
        if (duration > MAX_DURATION) revert DurationTooLong(duration, MAX_DURATION);
        // now < end <= now + MAX_DURATION (createOrder and extend keep it so),
        // hence ahead <= 2 * MAX_DURATION: it fits the error's uint64.
        uint256 ahead = uint256(end) + duration - block.timestamp;
        if (ahead > MAX_DURATION) revert DurationTooLong(uint64(ahead), MAX_DURATION);

        uint256 escrow = o.escrow;
        uint256 start = o.start;
        // escrow = rate * (end - start) exactly, so this is rate * duration.
        uint256 added = escrow * duration / (uint256(end) - start);
        uint256 total = escrow + added;
        if (total > type(uint96).max) revert EscrowTooLarge(total, type(uint96).max);
        uint256 available = _credit[msg.sender];
        if (added > available) revert InsufficientCredit(available, added);
        uint40 newEnd = end + uint40(duration);
        unchecked {
            _credit[msg.sender] = available - added;
        }
        o.end = newEnd;
        o.escrow = uint96(total);
        emit OrderExtended(id, added, newEnd);
    }

    /// @notice Ends a running order early from the provider's side: the
    /// payee is credited for the seconds served so far, the buyer refunded
    /// the rest.
    /// @dev The order's payee only, before the order's end.
    function close(uint256 id) external nonReentrant {
        Order storage o = _orders[id];
        Status status = o.status;
        if (status != Status.Open) _revertClosed(id, status);
        if (o.payee != msg.sender) revert NotPayee(id, msg.sender);
        uint40 end = o.end;
        if (block.timestamp >= end) revert OrderEnded(id, end);

        o.status = Status.Closed;
        (uint256 paid, uint256 refund) = _pay(o, block.timestamp);
        emit OrderClosed(id, paid, refund);
    }

    /// @notice Replaces the manifest of a running order: the provider's
    /// gateway accepts the manifest whose hash is `manifestHash` for this
    /// order from now on and rolls it out in the order's namespace.
    /// @dev Buyer only, before the order's end.
    function updateManifest(uint256 id, bytes32 manifestHash) external nonReentrant {
        if (manifestHash == bytes32(0)) revert ZeroManifestHash();
        Order storage o = _orders[id];
        Status status = o.status;
        if (status != Status.Open) _revertClosed(id, status);
        if (o.buyer != msg.sender) revert NotBuyer(id, msg.sender);
        uint40 end = o.end;
        if (block.timestamp >= end) revert OrderEnded(id, end);
        bytes32 previous = o.manifestHash;
        if (previous == manifestHash) revert SameManifestHash(id);

        o.manifestHash = manifestHash;
        emit ManifestUpdated(id, previous, manifestHash);
    }

    /// @notice Settles an ended order: the payee is credited for the full
    /// term. Exactly once.
    /// @dev Anyone.
    function settle(uint256 id) external nonReentrant {
        Order storage o = _orders[id];
        Status status = o.status;
        if (status != Status.Open) _revertClosed(id, status);
        uint40 end = o.end;
        if (block.timestamp < end) revert OrderNotEnded(id, end);

        o.status = Status.Settled;
        (uint256 paid, uint256 refund) = _pay(o, end);
        emit OrderSettled(id, paid, refund);
    }

    /// @notice Settles every order in `ids` that has ended and is still open;
    /// skips unknown, cancelled, settled and running ones without reverting.
    /// @dev Anyone. At most `MAX_BATCH` ids. A repeated id is settled once.
    /// @return settled How many orders this call settled (one `OrderSettled`
    /// event each).
    function settleBatch(uint256[] calldata ids) external nonReentrant returns (uint256 settled) {
        uint256 n = ids.length;
        if (n > MAX_BATCH) revert BatchTooLarge(n, MAX_BATCH);
        for (uint256 i = 0; i < n; ++i) {
            uint256 id = ids[i];
            Order storage o = _orders[id];
            if (o.status != Status.Open) continue;
            uint40 end = o.end;
            if (block.timestamp < end) continue;

            o.status = Status.Settled;
            (uint256 paid, uint256 refund) = _pay(o, end);
            emit OrderSettled(id, paid, refund);
            unchecked {
                ++settled;
            }
        }
    }

    // ------------------------------------------------------------------ views

    /// @notice The order `id`; all zero (status None) if unknown.
    function getOrder(uint256 id) external view returns (OrderView memory) {
        Order storage o = _orders[id];
        return OrderView({
            buyer: o.buyer,
            provider: o.provider,
            payee: o.payee,
            resources: o.resources,
            start: o.start,
            end: o.end,
            escrow: o.escrow,
            manifestHash: o.manifestHash,
            status: o.status
        });
    }

    /// @notice Whether order `id` is running now: open, started and not ended.
    /// Gateways serve an order only while this holds.
    function isActive(uint256 id) external view returns (bool) {
        Order storage o = _orders[id];
        return o.status == Status.Open && o.start <= block.timestamp && block.timestamp < o.end;
    }

    /// @notice The number of orders created; the last id.
    function orderCount() external view returns (uint256) {
        return _lastId;
    }

    // -------------------------------------------------------------- internals

    /// @dev Splits the escrow at `until` (start <= until <= end) and credits
    /// both sides. Exact: escrow = rate * duration, so escrow * served /
    /// duration = rate * served with no remainder.
    function _pay(Order storage o, uint256 until) private returns (uint256 paid, uint256 refund) {
        uint256 start = o.start;
        uint256 duration = uint256(o.end) - start;
        uint256 escrow = o.escrow;
        unchecked {
            // escrow < 2^96 and served <= duration < 2^40: no overflow.
            paid = escrow * (until - start) / duration;
            refund = escrow - paid;
        }
        if (paid != 0) _credit[o.payee] += paid;
        if (refund != 0) _credit[o.buyer] += refund;
    }

    function _revertClosed(uint256 id, Status status) private pure {
        if (status == Status.None) revert UnknownOrder(id);
        if (status == Status.Cancelled) revert OrderAlreadyCancelled(id);
        if (status == Status.Closed) revert OrderAlreadyClosed(id);
        revert OrderAlreadySettled(id);
    }

    /// @dev The payee and escrow of an order at the provider's current
    /// prices; reverts for an unregistered provider and an escrow of zero or
    /// above 96 bits.
    function _quote(address provider, Resources calldata resources, uint64 duration)
        private
        view
        returns (address payee, uint256 escrow)
    {
        Registry.Prices memory p;
        (payee, p) = registry.terms(provider);
        if (payee == address(0)) revert ProviderNotRegistered(provider);

        // Cannot overflow: each term < 2^64 * 2^128, the sum < 2^194 and
        // duration < 2^25.
        uint256 rate = uint256(resources.cpuMillis) * p.cpuMilli
            + _ceilDiv(resources.memoryBytes, MIB) * p.memoryMiB
            + _ceilDiv(resources.storageBytes, GIB) * p.storageGiB + uint256(resources.gpus) * p.gpu;
        escrow = rate * duration;
        if (escrow == 0) revert ZeroEscrow();
        if (escrow > type(uint96).max) revert EscrowTooLarge(escrow, type(uint96).max);
    }

    function _ceilDiv(uint64 a, uint256 b) private pure returns (uint256) {
        return (uint256(a) + b - 1) / b;
    }
}
