// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

/// @notice A Chainlink-style price feed (AggregatorV3Interface plus the legacy AggregatorInterface that AaveOracle
/// reads) whose answer an owner sets. Every update starts a new round and emits AnswerUpdated exactly like
/// Chainlink's OffchainAggregator, so a keeper can follow prices from logs.
contract PriceFeed {
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);
    event NewRound(uint256 indexed roundId, address indexed startedBy, uint256 startedAt);

    uint8 public constant decimals = 8;
    uint256 public constant version = 4;
    string public description;
    address public owner;

    uint80 private latestRound_;
    mapping(uint80 => int256) private answers_;
    mapping(uint80 => uint256) private timestamps_;

    constructor(string memory description_, int256 initialAnswer) {
        description = description_;
        owner = msg.sender;
        _update(initialAnswer);
    }

    function transferOwnership(address newOwner) external {
        require(msg.sender == owner, "not owner");
        owner = newOwner;
    }

    /// @notice Publishes a new answer (8 decimals) as a new round.
    function updateAnswer(int256 answer) external {
        require(msg.sender == owner, "not owner");
        _update(answer);
    }

    function _update(int256 answer) private {
        uint80 round = latestRound_ + 1;
        latestRound_ = round;
        answers_[round] = answer;
        timestamps_[round] = block.timestamp;
        emit NewRound(round, msg.sender, block.timestamp);
        emit AnswerUpdated(answer, round, block.timestamp);
    }

    function latestAnswer() external view returns (int256) {
        return answers_[latestRound_];
    }

    function latestTimestamp() external view returns (uint256) {
        return timestamps_[latestRound_];
    }

    function latestRound() external view returns (uint256) {
        return latestRound_;
    }

    function getAnswer(uint256 roundId) external view returns (int256) {
        return answers_[uint80(roundId)];
    }

    function getTimestamp(uint256 roundId) external view returns (uint256) {
        return timestamps_[uint80(roundId)];
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        uint80 round = latestRound_;
        return (round, answers_[round], timestamps_[round], timestamps_[round], round);
    }

    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        require(timestamps_[roundId] != 0, "No data present");
        return (roundId, answers_[roundId], timestamps_[roundId], timestamps_[roundId], roundId);
    }
}
