#pragma once
/// The Solidity ABI (https://docs.soliditylang.org/en/latest/abi-spec.html): types, signatures and selectors,
/// values, encoding, strict decoding, event logs, and cast-compatible text in and out.

#include "chain/abi/coerce.hpp"
#include "chain/abi/decode.hpp"
#include "chain/abi/encode.hpp"
#include "chain/abi/error.hpp"
#include "chain/abi/event.hpp"
#include "chain/abi/format.hpp"
#include "chain/abi/signature.hpp"
#include "chain/abi/type.hpp"
#include "chain/abi/value.hpp"
