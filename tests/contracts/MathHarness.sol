// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

// The real library sources, from the npm packages pinned in scripts/package.json (@aave/core-v3 1.19.3 and
// @morpho-org/morpho-blue 1.0.0). Every pragma there is ^0.8.0; 0.8.19 is the compiler Morpho Blue was deployed with.
import {WadRayMath} from "@aave/core-v3/contracts/protocol/libraries/math/WadRayMath.sol";
import {PercentageMath} from "@aave/core-v3/contracts/protocol/libraries/math/PercentageMath.sol";
import {MathLib} from "@morpho-org/morpho-blue/src/libraries/MathLib.sol";
import {SharesMathLib} from "@morpho-org/morpho-blue/src/libraries/SharesMathLib.sol";
import {UtilsLib} from "@morpho-org/morpho-blue/src/libraries/UtilsLib.sol";

/// Exposes each library function as `external pure` for tests/integration/fixed_point_diff_test.cpp, plus `batch`,
/// which evaluates one of them on many inputs in a single eth_call and reports per input whether it reverted.
contract MathHarness {
    function wadMul(uint256 a, uint256 b) external pure returns (uint256) { return WadRayMath.wadMul(a, b); }
    function wadDiv(uint256 a, uint256 b) external pure returns (uint256) { return WadRayMath.wadDiv(a, b); }
    function rayMul(uint256 a, uint256 b) external pure returns (uint256) { return WadRayMath.rayMul(a, b); }
    function rayDiv(uint256 a, uint256 b) external pure returns (uint256) { return WadRayMath.rayDiv(a, b); }
    function rayToWad(uint256 a) external pure returns (uint256) { return WadRayMath.rayToWad(a); }
    function wadToRay(uint256 a) external pure returns (uint256) { return WadRayMath.wadToRay(a); }
    function percentMul(uint256 v, uint256 p) external pure returns (uint256) { return PercentageMath.percentMul(v, p); }
    function percentDiv(uint256 v, uint256 p) external pure returns (uint256) { return PercentageMath.percentDiv(v, p); }

    function wMulDown(uint256 x, uint256 y) external pure returns (uint256) { return MathLib.wMulDown(x, y); }
    function wDivDown(uint256 x, uint256 y) external pure returns (uint256) { return MathLib.wDivDown(x, y); }
    function wDivUp(uint256 x, uint256 y) external pure returns (uint256) { return MathLib.wDivUp(x, y); }
    function mulDivDown(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return MathLib.mulDivDown(x, y, d);
    }
    function mulDivUp(uint256 x, uint256 y, uint256 d) external pure returns (uint256) {
        return MathLib.mulDivUp(x, y, d);
    }
    function wTaylorCompounded(uint256 x, uint256 n) external pure returns (uint256) {
        return MathLib.wTaylorCompounded(x, n);
    }
    function toSharesDown(uint256 a, uint256 ta, uint256 ts) external pure returns (uint256) {
        return SharesMathLib.toSharesDown(a, ta, ts);
    }
    function toSharesUp(uint256 a, uint256 ta, uint256 ts) external pure returns (uint256) {
        return SharesMathLib.toSharesUp(a, ta, ts);
    }
    function toAssetsDown(uint256 s, uint256 ta, uint256 ts) external pure returns (uint256) {
        return SharesMathLib.toAssetsDown(s, ta, ts);
    }
    function toAssetsUp(uint256 s, uint256 ta, uint256 ts) external pure returns (uint256) {
        return SharesMathLib.toAssetsUp(s, ta, ts);
    }
    function zeroFloorSub(uint256 x, uint256 y) external pure returns (uint256) { return UtilsLib.zeroFloorSub(x, y); }

    /// Calls `selector` on this contract once per input; `args` holds `arity` words per input, back to back.
    /// `ok[i]` is false when call i reverted (then `out[i]` is 0).
    function batch(bytes4 selector, uint256 arity, uint256[] calldata args)
        external
        view
        returns (bool[] memory ok, uint256[] memory out)
    {
        uint256 count = args.length / arity;
        ok = new bool[](count);
        out = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            bytes memory data = abi.encodePacked(selector, args[i * arity:(i + 1) * arity]);
            (bool success, bytes memory ret) = address(this).staticcall(data);
            ok[i] = success;
            if (success) out[i] = abi.decode(ret, (uint256));
        }
    }
}
