// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

interface IPriceFeed {
    function latestAnswer() external view returns (int256);
}

/// @notice Morpho Blue oracle from two USD feeds (same decimals): the price of 1 smallest unit of collateral in
/// smallest units of the loan token, scaled by 1e36 (Morpho's ORACLE_PRICE_SCALE):
/// price = collateralUsd * 10^(36 + loanDecimals - collateralDecimals) / loanUsd.
contract FeedRatioOracle {
    IPriceFeed public immutable collateralFeed;
    IPriceFeed public immutable loanFeed;
    uint256 public immutable scale;

    constructor(IPriceFeed collateralFeed_, IPriceFeed loanFeed_, uint8 collateralDecimals, uint8 loanDecimals) {
        require(36 + uint256(loanDecimals) >= collateralDecimals, "decimals");
        collateralFeed = collateralFeed_;
        loanFeed = loanFeed_;
        scale = 10 ** (36 + uint256(loanDecimals) - collateralDecimals);
    }

    function price() external view returns (uint256) {
        int256 collateralUsd = collateralFeed.latestAnswer();
        int256 loanUsd = loanFeed.latestAnswer();
        require(collateralUsd > 0 && loanUsd > 0, "bad answer");
        return uint256(collateralUsd) * scale / uint256(loanUsd);
    }
}
