// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

/// @notice Measures what one liquidation transaction would move, for the backtest's eth_call. It is never deployed:
/// the backtest puts this runtime code at the keeper's address with a state override, so address(this) is the
/// keeper and the protocol sees msg.sender = the keeper, exactly as for the keeper's real transaction (same
/// balances, same allowances, same nonce-free checks). Compiled with solc-js 0.8.19, optimizer on, no metadata
/// hash: see keeper/backtest/liquidation_probe_code.cpp for the command.
interface IBalanceOf {
    function balanceOf(address account) external view returns (uint256);
}

contract LiquidationProbe {
    /// @notice Runs `data` against `target` from this address and returns the balance changes it caused.
    /// @return debtSpent The fall of this address's `debtToken` balance (0 if it did not fall).
    /// @return collateralReceived The rise of this address's `collateralToken` balance (0 if it did not rise).
    /// @dev A revert of the call is re-raised with its exact revert data, so the caller decodes the protocol's own
    /// error. When `debtToken == collateralToken` only the net change of that one balance is observable: a net
    /// fall is reported as debtSpent (collateralReceived = 0) and a net rise as collateralReceived (debtSpent = 0).
    function probe(address target, bytes calldata data, address debtToken, address collateralToken)
        external
        returns (uint256 debtSpent, uint256 collateralReceived)
    {
        uint256 debtBefore = IBalanceOf(debtToken).balanceOf(address(this));
        uint256 collateralBefore = IBalanceOf(collateralToken).balanceOf(address(this));

        (bool ok, bytes memory result) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }

        uint256 debtAfter = IBalanceOf(debtToken).balanceOf(address(this));
        uint256 collateralAfter = IBalanceOf(collateralToken).balanceOf(address(this));
        if (debtToken == collateralToken) {
            // One balance, read twice: report its net change on the side it moved.
            if (debtAfter < debtBefore) debtSpent = debtBefore - debtAfter;
            else collateralReceived = debtAfter - debtBefore;
        } else {
            // Saturating: a token that moves the other way (a fee-on-transfer rebate, a rebasing collateral)
            // is not a spend / a receipt.
            if (debtAfter < debtBefore) debtSpent = debtBefore - debtAfter;
            if (collateralAfter > collateralBefore) collateralReceived = collateralAfter - collateralBefore;
        }
    }
}
