'use strict';
// Conversions between decimal amounts and integer token units (BigInt).

/// `amount` (a JS number of whole tokens; 6 fractional digits kept) in units of 10^-decimals.
function units(amount, decimals) {
  const [whole, fraction] = amount.toFixed(6).split('.');
  const micro = BigInt(whole) * 1000000n + BigInt(fraction);
  return decimals >= 6 ? micro * 10n ** BigInt(decimals - 6) : micro / 10n ** BigInt(6 - decimals);
}

module.exports = { units };
