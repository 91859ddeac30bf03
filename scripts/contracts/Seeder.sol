// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

/// @notice Opens many protocol positions per transaction while the world is built. A call either runs from the
/// seeder itself (mint, supply on behalf of a borrower, lend) or, when `agent` is set, from a borrower's own
/// address through the BorrowerAgent code installed there for the duration of seeding (so borrow, setUserEMode
/// and Morpho borrow see msg.sender == borrower and the positions belong to the borrower).
contract Seeder {
    struct Call {
        address agent;
        address target;
        bytes data;
    }

    address public immutable owner;

    constructor() {
        owner = msg.sender;
    }

    function run(Call[] calldata calls) external {
        require(msg.sender == owner, "not owner");
        for (uint256 i = 0; i < calls.length; ++i) {
            Call calldata c = calls[i];
            (bool ok, bytes memory ret) = c.agent == address(0)
                ? c.target.call(c.data)
                : c.agent.call(abi.encodeWithSignature("act(address,bytes)", c.target, c.data));
            if (!ok) {
                assembly {
                    revert(add(ret, 32), mload(ret))
                }
            }
        }
    }
}

/// @notice Code placed (anvil_setCode) at a borrower's address while seeding and removed afterwards.
contract BorrowerAgent {
    address public immutable seeder;

    constructor(address seeder_) {
        seeder = seeder_;
    }

    function act(address target, bytes calldata data) external {
        require(msg.sender == seeder, "not seeder");
        (bool ok, bytes memory ret) = target.call(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
