#pragma once
/// The liquidator's key, from the config's [signer]: an environment variable holding the 0x key, or a keystore v3
/// file with a password file (both refused when group or others can read them: chain/secret_file.hpp). Errors name
/// the variable or file and what was wrong, never any key material.
#include "chain/private_key.hpp"
#include "config/keeper_config.hpp"

#include <boost/system/result.hpp>
#include <string>

namespace sluice::keeper {

/// The key, checked against [signer] address when one is given.
boost::system::result<PrivateKey, std::string> load_signer_key(const config::SignerConfig& signer);

}  // namespace sluice::keeper
