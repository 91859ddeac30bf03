#pragma once
/// A tiny hand-assembled contract for RPC tests and benchmarks: emits many events per transaction, reverts with
/// Panic(0x11) or Error("boom") on demand, and keeps 0x2a in storage slot 0.
///
/// Runtime, by calldata:
///   32+ bytes: n = calldataload(0); for i in 0..n: emit Tick(i indexed, i)   (LOG2, topic0 = kTickTopic)
///   empty:     revert Panic(0x11)
///   1..31 bytes: revert Error("boom")
/// Assembly (offsets in hex):
///   00 CALLDATASIZE ISZERO PUSH1 4b JUMPI            ; empty -> panic
///   05 CALLDATASIZE PUSH1 20 GT PUSH1 61 JUMPI       ; short -> Error("boom")
///   0c PUSH1 0                                       ; i = 0
///   0e JUMPDEST DUP1 PUSH1 0 CALLDATALOAD GT ISZERO PUSH1 49 JUMPI   ; while (n > i)
///   18 DUP1 PUSH1 0 MSTORE DUP1 PUSH32 <topic> PUSH1 20 PUSH1 0 LOG2  ; log2(0, 32, topic, i), data = i
///   43 PUSH1 1 ADD PUSH1 0e JUMP
///   49 JUMPDEST STOP
///   4b JUMPDEST PUSH4 4e487b71 PUSH1 e0 SHL PUSH1 0 MSTORE PUSH1 11 PUSH1 4 MSTORE PUSH1 24 PUSH1 0 REVERT
///   61 JUMPDEST PUSH1 64 PUSH1 6e PUSH1 0 CODECOPY PUSH1 64 PUSH1 0 REVERT
///   6e <100 bytes: `cast calldata "Error(string)" boom`>
/// Init code: SSTORE(0, 0x2a), then CODECOPY the 0xd2-byte runtime from offset 0x10 and RETURN it.
/// kTickTopic = `cast keccak "Tick(uint256,uint256)"`. Checked against anvil with `cast send --create`,
/// `cast storage`, `cast call` (reverts) when written.

#include <string_view>

namespace sluice::test {

inline constexpr std::string_view kTickTopic = "0xef885d13ae547f2952755e35bb377846c2c38bfb21d20b5f5fabe27e4b68825f";

inline constexpr std::string_view kLogEmitterRuntime =
    "0x3615604b573660201160615760005b80600035111560495780600052807fef885d13ae547f2952755e35bb377846c2c38bfb21d20b5f5f"
    "abe27e4b68825f60206000a2600101600e565b005b634e487b7160e01b600052601160045260246000fd5b6064606e60003960646000fd"
    "08c379a000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000"
    "000000000000000000000004626f6f6d00000000000000000000000000000000000000000000000000000000";

inline constexpr std::string_view kLogEmitterInit = "0x602a60005560d28060106000396000f3";

}  // namespace sluice::test
