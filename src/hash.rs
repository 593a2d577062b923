//! The crate's two hashes, kept in one place so they are not written again: [`checksum`], the
//! 32-bit check stored on disk (log lines, the snapshot, the content cache), and `IdHasher`,
//! the map hasher for ids. The checksum's output is part of the file formats: never change it.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A 32-bit check of a line: FNV-1a over little-endian 64-bit words (then the tail bytes) with
/// the murmur3 finaliser. Every step is a bijection of the running state, so a change confined to
/// one word is always detected; working a word at a time keeps a million lines cheap.
pub fn checksum(bytes: &[u8]) -> u32 {
    (fmix64(fnv_words(bytes.len() as u64, bytes)) >> 32) as u32
}

/// A checksum field as the writers produce it (`{:08x}`: exactly 8 lowercase hex digits), or
/// None. Only that form: `from_str_radix` alone would also accept `A` for `a`, `+` or a short
/// sum, so a changed byte in the checksum field could go unnoticed.
pub(crate) fn parse_checksum(field: &[u8]) -> Option<u32> {
    let is_lower_hex = |b: &u8| b.is_ascii_digit() || (b'a'..=b'f').contains(b);
    Some(field)
        .filter(|s| s.len() == 8 && s.iter().all(is_lower_hex))
        .and_then(|s| std::str::from_utf8(s).ok())
        .and_then(|s| u32::from_str_radix(s, 16).ok())
}

/// FNV-1a over little-endian 64-bit words, then the tail bytes, continuing from `state`.
pub(crate) fn fnv_words(state: u64, bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = state ^ 0xcbf2_9ce4_8422_2325;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(PRIME);
    }
    for &b in words.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(PRIME);
    }
    h
}

/// murmur3's 64-bit finaliser: spreads every input bit over the whole result.
pub(crate) fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// A fast hash for ids (short kebab-case strings from the learner's own content, so flooding
/// attacks do not apply): a million lookups during a replay cost a third of SipHash's. The
/// snapshot lists cards in the order of a map with this hasher, so changing it changes snapshots.
#[derive(Debug, Default)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv_words(self.0, bytes);
    }

    fn finish(&self) -> u64 {
        fmix64(self.0)
    }
}

/// A `HashMap` keyed by ids, with [`IdHasher`].
pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
