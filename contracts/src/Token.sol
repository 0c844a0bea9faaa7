// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Token
/// @notice The devnet's payment token: a plain 18-decimal ERC20 whose owner
/// mints test balances. In production the Market may be deployed against any
/// standard ERC20 instead; the Market relies only on the IERC20 interface.
contract Token is ERC20, Ownable {
    /// @param name_ Token name, for example "Grid Credit".
    /// @param symbol_ Token symbol, for example "GRID".
    /// @param initialOwner The only account allowed to mint.
    constructor(string memory name_, string memory symbol_, address initialOwner)
        ERC20(name_, symbol_)
        Ownable(initialOwner)
    {}

    /// @notice Creates `amount` base units and assigns them to `to`.
    /// @dev Owner only; reverts with `OwnableUnauthorizedAccount` otherwise and
    /// with `ERC20InvalidReceiver` when `to` is the zero address.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
