// Implemented in the RLP work item.
