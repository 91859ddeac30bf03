#include "chain/rlp.hpp"

#include <doctest/doctest.h>
#include <simdjson.h>

#include <random>
#include <string>

using namespace sluice;
using rlp::Item;

namespace {

Bytes hex(std::string_view text) {
  auto bytes = from_hex(text);
  REQUIRE(bytes.has_value());
  return *bytes;
}

Item string_item(Bytes bytes) {
  Item item;
  item.string = std::move(bytes);
  return item;
}

/// Minimal big-endian bytes of a decimal of any size ("#..." vectors go past 2^256).
Bytes decimal_to_be(std::string_view digits) {
  Bytes be;  // big-endian, no leading zeros
  for (const char c : digits) {
    unsigned carry = static_cast<unsigned>(c - '0');
    for (auto it = be.rbegin(); it != be.rend(); ++it) {
      const unsigned v = *it * 10u + carry;
      *it = static_cast<std::uint8_t>(v);
      carry = v >> 8;
    }
    if (carry != 0) be.insert(be.begin(), static_cast<std::uint8_t>(carry));
  }
  return be;
}

/// The ethereum/tests "in" convention: strings are raw bytes unless 0x-prefixed (then hex), "#" marks a
/// big decimal integer, JSON integers are integers, arrays are lists.
Item vector_item(simdjson::dom::element in) {
  Item item;
  switch (in.type()) {
    case simdjson::dom::element_type::ARRAY:
      item.is_list = true;
      for (const auto child : in.get_array()) item.items.push_back(vector_item(child));
      break;
    case simdjson::dom::element_type::STRING: {
      const std::string_view s = in.get_string().value();
      if (s.starts_with("#")) item.string = decimal_to_be(s.substr(1));
      else if (s.starts_with("0x")) item.string = hex(s);
      else item.string.assign(s.begin(), s.end());
      break;
    }
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64: item.string = U256{in.get_uint64().value()}.to_be_trimmed(); break;
    default: FAIL("unexpected JSON type in a test vector");
  }
  return item;
}

simdjson::dom::element load_vectors(simdjson::dom::parser& parser, const char* name) {
  auto doc = parser.load(std::string(SLUICE_SOURCE_DIR) + "/tests/data/rlp/" + name);
  REQUIRE_MESSAGE(doc.error() == simdjson::SUCCESS, "cannot read tests/data/rlp/", name);
  return doc.value();
}

Bytes encode_u256(const U256& value) {
  Bytes out;
  rlp::encode(out, value);
  return out;
}

}  // namespace

// ---- ethereum/tests RLPTests (tests/data/rlp, MIT) ----

TEST_CASE("rlp: every valid ethereum/tests vector encodes to its output and decodes back") {
  simdjson::dom::parser parser;
  int checked = 0;
  for (const auto [name, vector] : load_vectors(parser, "rlptest.json").get_object()) {
    CAPTURE(name);
    const Item item = vector_item(vector["in"]);
    const Bytes expected = hex(vector["out"].get_string().value());
    if (name == "listofbinaries") {
      // Upstream defect (see tests/data/rlp/LICENSE): the vector's list header 0xf8a7 covers only the first
      // four items. The true header for its 320-byte payload is 0xf90140 (cast to-rlp agrees); the rest matches.
      Bytes corrected = hex("0xf90140");
      corrected.insert(corrected.end(), expected.begin() + 2, expected.end());
      CHECK(rlp::encode(item) == corrected);
      CHECK(rlp::decode_item(corrected).value() == item);
      CHECK(rlp::decode_item(expected).error() == rlp::Error::trailing_bytes);
    } else {
      CHECK(rlp::encode(item) == expected);
      const auto decoded = rlp::decode_item(expected);
      REQUIRE(decoded.has_value());
      CHECK(*decoded == item);
    }
    // Integer vectors also go through the typed U256 encoder and decoder.
    const bool integer = vector["in"].is_uint64() ||
                         (vector["in"].is_string() && vector["in"].get_string().value().starts_with("#"));
    if (integer) {
      ByteView view{expected};
      U256 value;
      if (item.string.size() <= 32) {
        const U256 want = *U256::from_be(item.string);
        CHECK(encode_u256(want) == expected);
        REQUIRE(rlp::decode(view, value).has_value());
        CHECK(value == want);
        CHECK(view.empty());
      } else {
        CHECK(rlp::decode(view, value).error() == rlp::Error::integer_overflow);  // "bigint" is 2^256
      }
    }
    ++checked;
  }
  CHECK(checked == 29);
}

TEST_CASE("rlp: every invalid ethereum/tests vector is rejected with the error its name describes") {
  // Expected errors follow the vectors' names; randomRLP and incorrectLengthInArray carry a long length with
  // a leading zero (0xb90021...).
  const std::pair<const char*, rlp::Error> expected_errors[] = {
      {"int32Overflow", rlp::Error::input_too_short},
      {"int32Overflow2", rlp::Error::input_too_short},
      {"wrongSizeList", rlp::Error::non_canonical_size},
      {"wrongSizeList2", rlp::Error::non_canonical_size},
      {"incorrectLengthInArray", rlp::Error::leading_zero_in_length},
      {"randomRLP", rlp::Error::leading_zero_in_length},
      {"bytesShouldBeSingleByte00", rlp::Error::non_canonical_size},
      {"bytesShouldBeSingleByte01", rlp::Error::non_canonical_size},
      {"bytesShouldBeSingleByte7F", rlp::Error::non_canonical_size},
      {"leadingZerosInLongLengthArray1", rlp::Error::leading_zero_in_length},
      {"leadingZerosInLongLengthArray2", rlp::Error::leading_zero_in_length},
      {"leadingZerosInLongLengthList1", rlp::Error::leading_zero_in_length},
      {"leadingZerosInLongLengthList2", rlp::Error::leading_zero_in_length},
      {"nonOptimalLongLengthArray1", rlp::Error::non_canonical_size},
      {"nonOptimalLongLengthArray2", rlp::Error::non_canonical_size},
      {"nonOptimalLongLengthList1", rlp::Error::non_canonical_size},
      {"nonOptimalLongLengthList2", rlp::Error::non_canonical_size},
  };
  simdjson::dom::parser parser;
  std::size_t checked = 0;
  for (const auto [name, vector] : load_vectors(parser, "invalidRLPTest.json").get_object()) {
    CAPTURE(name);
    const Bytes encoded = hex(vector["out"].get_string().value());
    const auto decoded = rlp::decode_item(encoded);
    REQUIRE(decoded.has_error());
    bool known = false;
    for (const auto& [known_name, error] : expected_errors) {
      if (name != known_name) continue;
      known = true;
      CHECK(decoded.error() == error);
    }
    CHECK_MESSAGE(known, "no expected error listed for this vector");
    ++checked;
  }
  CHECK(checked == std::size(expected_errors));
}

// ---- headers and strings ----

TEST_CASE("rlp: decode_header reads short, long and single-byte forms") {
  Bytes data = hex("0x7f");
  ByteView view{data};
  auto header = rlp::decode_header(view);
  REQUIRE(header.has_value());
  CHECK(!header->list);
  CHECK(header->payload_length == 1);
  CHECK(view.size() == 1);  // a single byte is its own payload: nothing consumed

  data = hex("0xb838");
  data.resize(2 + 56, 0xaa);
  view = ByteView{data};
  header = rlp::decode_header(view);
  REQUIRE(header.has_value());
  CHECK(header->payload_length == 56);
  CHECK(view.size() == 56);

  data = hex("0xf90100");
  data.resize(3 + 256, 0x80);
  view = ByteView{data};
  header = rlp::decode_header(view);
  REQUIRE(header.has_value());
  CHECK(header->list);
  CHECK(header->payload_length == 256);
}

TEST_CASE("rlp: truncated and huge declared lengths are input_too_short, never overflow") {
  for (const char* text : {"0x", "0x81", "0xb8", "0xb838", "0xb9ffff", "0xbf", "0xbfffffffffffffff",
                           "0xbfffffffffffffffff", "0xbf7fffffffffffffff00", "0xffffffffffffffffff",
                           "0xf9ffffc0", "0xc1", "0xf838c0"}) {
    CAPTURE(text);
    const Bytes data = hex(text);
    ByteView view{data};
    CHECK(rlp::decode_header(view).error() == rlp::Error::input_too_short);
    CHECK(view.size() == data.size());  // untouched on failure
    CHECK(rlp::decode_item(data).error() == rlp::Error::input_too_short);
  }
}

TEST_CASE("rlp: non-canonical sizes are rejected precisely") {
  CHECK(rlp::decode_item(hex("0x8100")).error() == rlp::Error::non_canonical_size);
  CHECK(rlp::decode_item(hex("0x817f")).error() == rlp::Error::non_canonical_size);
  CHECK(rlp::decode_item(hex("0x8180")).value() == string_item({0x80}));  // 0x80 needs the prefix
  CHECK(rlp::decode_item(hex("0xb80100")).error() == rlp::Error::non_canonical_size);
  Bytes long55 = hex("0xb837");
  long55.resize(2 + 55, 1);
  CHECK(rlp::decode_item(long55).error() == rlp::Error::non_canonical_size);  // 55 fits the short form
  CHECK(rlp::decode_item(hex("0xb90001ff")).error() == rlp::Error::leading_zero_in_length);
  CHECK(rlp::decode_item(hex("0xf90000")).error() == rlp::Error::leading_zero_in_length);
}

TEST_CASE("rlp: trailing bytes and lists that their items do not exactly fill") {
  CHECK(rlp::decode_item(hex("0xc0c0")).error() == rlp::Error::trailing_bytes);
  CHECK(rlp::decode_item(hex("0x8000")).error() == rlp::Error::trailing_bytes);
  CHECK(rlp::decode_item(hex("0xc28081")).error() == rlp::Error::input_too_short);  // 0x81 runs past the list
  CHECK(rlp::decode_item(hex("0xc1c180")).error() == rlp::Error::input_too_short);  // inner list too
  CHECK(rlp::decode_item(hex("0xc3828081")).has_value());

  const Bytes two = hex("0xc18001");
  ByteView view{two};
  const auto first = rlp::decode_next_item(view);
  REQUIRE(first.has_value());
  CHECK(first->is_list);
  CHECK(view.size() == 1);  // decode_next_item leaves what follows
  CHECK(rlp::decode_next_item(view).value() == string_item({0x01}));
  CHECK(view.empty());
}

TEST_CASE("rlp: decode_string and decode_list check the kind and advance past the item") {
  const Bytes data = hex("0xc483646f6783636174");  // ["dog"] then "cat"
  ByteView view{data};
  CHECK(rlp::decode_string(view).error() == rlp::Error::unexpected_list);
  auto list = rlp::decode_list(view);
  REQUIRE(list.has_value());
  CHECK(Bytes(list->begin(), list->end()) == hex("0x83646f67"));
  CHECK(rlp::decode_list(view).error() == rlp::Error::unexpected_string);
  auto cat = rlp::decode_string(view);
  REQUIRE(cat.has_value());
  CHECK(Bytes(cat->begin(), cat->end()) == Bytes{'c', 'a', 't'});
  CHECK(view.empty());
}

// ---- typed decoders ----

TEST_CASE("rlp: integers must be canonical and fit their type") {
  const auto u64 = [](const char* text) {
    const Bytes data = hex(text);
    ByteView view{data};
    std::uint64_t v = 0;
    auto r = rlp::decode(view, v);
    return r ? Result<std::uint64_t>{v} : Result<std::uint64_t>{r.error()};
  };
  CHECK(u64("0x80").value() == 0);
  CHECK(u64("0x7f").value() == 127);
  CHECK(u64("0x8180").value() == 128);
  CHECK(u64("0x88ffffffffffffffff").value() == 0xffffffffffffffffULL);
  CHECK(u64("0x00").error() == rlp::Error::leading_zero_in_integer);  // zero is 0x80
  CHECK(u64("0x820001").error() == rlp::Error::leading_zero_in_integer);
  CHECK(u64("0x89010000000000000000").error() == rlp::Error::integer_overflow);
  CHECK(u64("0xc0").error() == rlp::Error::unexpected_list);

  Bytes max = hex("0xa0");
  max.resize(33, 0xff);
  ByteView view{max};
  U256 v;
  REQUIRE(rlp::decode(view, v).has_value());
  CHECK(v == ~U256{});
  Bytes wide = hex("0xa101");
  wide.resize(34, 0);
  view = ByteView{wide};
  CHECK(rlp::decode(view, v).error() == rlp::Error::integer_overflow);
  CHECK(view.size() == wide.size());
}

TEST_CASE("rlp: addresses and byte strings") {
  const auto address = parse_address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").value();
  Bytes encoded;
  rlp::encode(encoded, address);
  CHECK(encoded.size() == 21);
  CHECK(encoded[0] == 0x94);
  ByteView view{encoded};
  Address decoded;
  REQUIRE(rlp::decode(view, decoded).has_value());
  CHECK(decoded == address);

  const Bytes short_address = hex("0x93" + std::string(38, '1'));
  view = ByteView{short_address};
  CHECK(rlp::decode(view, decoded).error() == rlp::Error::unexpected_length);

  Bytes bytes;
  const Bytes dog = hex("0x83646f67");
  view = ByteView{dog};
  REQUIRE(rlp::decode(view, bytes).has_value());
  CHECK(bytes == Bytes{'d', 'o', 'g'});
}

// ---- nesting ----

namespace {
/// `depth` lists nested inside each other around an empty list at the bottom.
Bytes nested_lists(std::size_t depth) {
  Bytes inner = hex("0xc0");
  for (std::size_t i = 1; i < depth; ++i) {
    Bytes outer;
    rlp::encode_list(outer, inner);
    inner = std::move(outer);
  }
  return inner;
}
}  // namespace

TEST_CASE("rlp: nesting is capped at kMaxDepth instead of recursing without bound") {
  CHECK(rlp::decode_item(nested_lists(rlp::kMaxDepth)).has_value());
  CHECK(rlp::decode_item(nested_lists(rlp::kMaxDepth + 1)).error() == rlp::Error::too_deep);
  CHECK(rlp::decode_item(nested_lists(100'000)).error() == rlp::Error::too_deep);
  // A header-only tower claiming deep nesting but truncated: fails cleanly too.
  Bytes tower(200'000, 0xc1);
  CHECK(rlp::decode_item(tower).has_error());
}

// ---- round trips and canonicality ----

namespace {
Item random_item(std::mt19937_64& rng, int depth) {
  Item item;
  if (depth < 4 && rng() % 3 == 0) {
    item.is_list = true;
    const std::size_t width = rng() % 6;
    for (std::size_t i = 0; i < width; ++i) item.items.push_back(random_item(rng, depth + 1));
    return item;
  }
  // Lengths cluster on the interesting boundaries: 0, 1 (both sides of 0x80), 55/56 and beyond 255.
  static constexpr std::size_t kLengths[] = {0, 1, 1, 2, 20, 32, 55, 56, 57, 100, 255, 256, 1030};
  const std::size_t length = kLengths[rng() % std::size(kLengths)];
  for (std::size_t i = 0; i < length; ++i) item.string.push_back(static_cast<std::uint8_t>(rng()));
  return item;
}
}  // namespace

TEST_CASE("rlp: random items round-trip and every decodable mutation is canonical") {
  std::mt19937_64 rng{20240501};
  for (int n = 0; n < 2000; ++n) {
    const Item item = random_item(rng, 0);
    const Bytes encoded = rlp::encode(item);
    const auto decoded = rlp::decode_item(encoded);
    REQUIRE(decoded.has_value());
    REQUIRE(*decoded == item);
    // The appending overload produces the same bytes after a prefix.
    Bytes appended{0xee};
    rlp::encode(appended, item);
    CHECK(Bytes(appended.begin() + 1, appended.end()) == encoded);

    // Every strict prefix is incomplete.
    const std::size_t cut = rng() % encoded.size();
    CHECK(rlp::decode_item(ByteView{encoded}.first(cut)).has_error());

    // A flipped byte either fails or decodes to something whose encoding is exactly the mutated input:
    // the decoder accepts canonical encodings only.
    Bytes mutated = encoded;
    mutated[rng() % mutated.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    if (const auto m = rlp::decode_item(mutated); m) CHECK(rlp::encode(*m) == mutated);
  }
}

TEST_CASE("rlp: U256 and uint64 round-trip at every byte width") {
  std::mt19937_64 rng{7};
  for (unsigned bits = 0; bits <= 256; ++bits) {
    U256 value;
    if (bits > 0) {
      value = U256{1} << (bits - 1);
      value = value | (U256{rng(), rng(), rng(), rng()} & (value - U256{1}));
    }
    const Bytes encoded = encode_u256(value);
    ByteView view{encoded};
    U256 decoded;
    REQUIRE(rlp::decode(view, decoded).has_value());
    CHECK(decoded == value);
    if (bits <= 64) {
      Bytes small;
      rlp::encode(small, value.limbs[0]);
      CHECK(small == encoded);
      view = ByteView{encoded};
      std::uint64_t v = 0;
      REQUIRE(rlp::decode(view, v).has_value());
      CHECK(v == value.limbs[0]);
    }
  }
}
