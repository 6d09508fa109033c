//! Exact duplicates: reviews whose bodies are the same once case, white space and
//! punctuation are folded away. Each body's folded text is hashed, on every core, once it
//! is loaded; the document keeps the hashes as it grows, and the groups of equal hashes
//! are its duplicates.
//!
//! Folding: letters and digits (any script) are kept, lower-cased; every run of anything
//! else is one separator, and separators at the ends go. So `Great movie!!` and ` great
//! MOVIE.` are the same body, `greatmovie` is not. An empty body is never a duplicate.
//!
//! The hash is 64 bits: two different bodies among ten million share one with a chance of
//! about 3 in a million (n²/2⁶⁵), which this accepts rather than keep the text to compare.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

/// The key of a body with nothing to fold to (empty, or only punctuation).
pub const NO_KEY: u64 = 0;

/// What each byte folds to: an ASCII letter or digit to itself lower-cased, other ASCII to
/// a space (a separator), and a byte of a longer character to 0, which has it decoded.
const FOLD: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_digit() || c.is_ascii_lowercase() {
            c
        } else if c.is_ascii_uppercase() {
            c.to_ascii_lowercase()
        } else {
            b' '
        };
        b += 1;
    }
    table
};

/// Bytes of folded text hashed at a time.
const BUFFER: usize = 512;

static STATE: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0x0072_6576_7565);

/// The key of a body: the hash of its folded text, [`NO_KEY`] when that is empty.
///
/// The folded text is gathered a buffer at a time for the hasher. Every byte is written;
/// the write position only moves past a space that follows a kept byte, so runs of
/// separators leave one space and leading ones none, without a branch per byte. (The
/// position and flags live in locals: kept in a struct, they went through memory at
/// every byte, three times slower.)
#[must_use]
pub fn body_key(text: &str) -> u64 {
    let mut hasher = STATE.build_hasher();
    let mut buffer = [0u8; BUFFER];
    let (mut len, mut after_kept, mut any) = (0usize, false, false);
    let mut put = |folded: u8, len: &mut usize, after_kept: &mut bool, any: &mut bool| {
        buffer[*len] = folded;
        let kept = folded != b' ';
        // Not `||`: both are known, and a branch per byte is what this avoids.
        *len += usize::from(kept) | usize::from(*after_kept);
        *after_kept = kept;
        *any |= kept;
        if *len >= BUFFER - 1 {
            // The last byte may be a trailing space: it stays, to be dropped at the end.
            hasher.write(&buffer[..*len - 1]);
            buffer[0] = buffer[*len - 1];
            *len = 1;
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let folded = FOLD[usize::from(b)];
        if folded != 0 {
            put(folded, &mut len, &mut after_kept, &mut any);
            i += 1;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += c.len_utf8();
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                let mut utf8 = [0; 4];
                for &byte in lower.encode_utf8(&mut utf8).as_bytes() {
                    put(byte, &mut len, &mut after_kept, &mut any);
                }
            }
        } else {
            put(b' ', &mut len, &mut after_kept, &mut any);
        }
    }
    if !any {
        return NO_KEY;
    }
    if len > 0 && buffer[len - 1] == b' ' {
        len -= 1;
    }
    // An empty last write would still be mixed in: "…word." would differ from "…word" when
    // the text fills the buffer exactly.
    if len > 0 {
        hasher.write(&buffer[..len]);
    }
    // NO_KEY stays free for empty bodies.
    hasher.finish().max(1)
}

/// The keys of the bodies at `bodies`, hashed on every core; `None` once `cancel` is set.
#[must_use]
pub fn keys_of(
    store: &super::Store,
    bodies: &[super::TextRef],
    cancel: &std::sync::atomic::AtomicBool,
) -> Option<Vec<u64>> {
    let share = bodies.len().div_ceil(crate::tuning::threads()).max(1024);
    let hash = |slice: &[super::TextRef]| -> Option<Vec<u64>> {
        let mut keys = Vec::with_capacity(slice.len());
        for block in slice.chunks(4096) {
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return None;
            }
            store.read_each(block, |_, text| keys.push(body_key(text)));
        }
        Some(keys)
    };
    let parts: Vec<Option<Vec<u64>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = bodies
            .chunks(share)
            .map(|slice| scope.spawn(move || hash(slice)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(None))
            .collect()
    });
    let mut keys = Vec::with_capacity(bodies.len());
    for part in parts {
        keys.extend(part?);
    }
    Some(keys)
}

/// The groups of equal bodies among a document's reviews, kept up to date as it grows.
#[derive(Debug, Clone, Default)]
pub struct Duplicates {
    /// The key of each review so far.
    keys: Vec<u64>,
    /// Each key met: the first review with it, and how many have it.
    groups: HashMap<u64, (u32, u32), foldhash::fast::FixedState>,
    /// Reviews that repeat an earlier review's body, a bit each.
    copies: Vec<u64>,
    count: usize,
}

impl Duplicates {
    /// Takes in the keys of the reviews from `from` on; keys for another stretch than the
    /// next (the document was read again since they were asked for) are dropped.
    pub fn add(&mut self, from: usize, keys: &[u64]) {
        if from != self.keys.len() {
            return;
        }
        self.keys.extend_from_slice(keys);
        self.copies.resize(self.keys.len().div_ceil(64), 0);
        for (i, &key) in keys.iter().enumerate().map(|(k, key)| (from + k, key)) {
            if key == NO_KEY {
                continue;
            }
            let index = u32::try_from(i).unwrap_or(u32::MAX);
            let group = self.groups.entry(key).or_insert((index, 0));
            group.1 += 1;
            if group.1 > 1 {
                self.copies[i / 64] |= 1 << (i % 64);
                self.count += 1;
            }
        }
    }

    /// How many reviews have their keys.
    #[must_use]
    pub fn keyed(&self) -> usize {
        self.keys.len()
    }

    /// Review `i`'s key; [`NO_KEY`] when not hashed yet.
    #[must_use]
    pub fn key(&self, i: usize) -> u64 {
        self.keys.get(i).copied().unwrap_or(NO_KEY)
    }

    /// Whether review `i` repeats the body of an earlier one.
    #[must_use]
    pub fn is_copy(&self, i: usize) -> bool {
        self.copies
            .get(i / 64)
            .is_some_and(|word| word & (1 << (i % 64)) != 0)
    }

    /// How many reviews repeat an earlier one's body (all but the first of each group).
    #[must_use]
    pub fn count(&self) -> usize {
        self.count
    }

    /// The `n` most repeated bodies: the first review of each and how many times it is
    /// there, most first (the earlier first among equals).
    #[must_use]
    pub fn most_repeated(&self, n: usize) -> Vec<(usize, usize)> {
        let mut groups: Vec<(usize, usize)> = self
            .groups
            .values()
            .filter(|&&(_, count)| count > 1)
            .map(|&(first, count)| (first as usize, count as usize))
            .collect();
        groups.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        groups.truncate(n);
        groups
    }

    /// The first review with the body whose key is `key`, and how many share it; `None`
    /// for a body met once.
    #[must_use]
    pub fn group_of(&self, key: u64) -> Option<(usize, usize)> {
        self.groups
            .get(&key)
            .filter(|&&(_, count)| count > 1)
            .map(|&(first, count)| (first as usize, count as usize))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_space_and_punctuation_but_not_word_breaks() {
        let key = body_key("Great movie!! Loved it.");
        assert_eq!(body_key(" great   MOVIE - loved it"), key);
        assert_eq!(body_key("Great\nmovie,\tloved it!!!"), key);
        assert_ne!(body_key("Greatmovie loved it"), key);
        assert_ne!(body_key("Great movie loved it too"), key);
        assert_eq!(body_key("ÉTÉ, à Paris"), body_key("été à paris"));
        assert_ne!(body_key("été à paris"), body_key("ete a paris"));
        assert_eq!(body_key(""), NO_KEY);
        assert_eq!(body_key("... !!! ---"), NO_KEY);
    }

    #[test]
    fn long_bodies_fold_across_the_buffer() {
        let long = "word, ".repeat(1000);
        assert_eq!(
            body_key(&long),
            body_key(&long.to_uppercase().replace(',', ";"))
        );
        assert_ne!(body_key(&long), body_key(&format!("{long} word")));
    }

    #[test]
    fn groups_grow_with_the_document() {
        let keys: Vec<u64> = ["a b", "c", "A, b!", "", "", "c", "a b", "d"]
            .iter()
            .map(|t| body_key(t))
            .collect();
        let mut dups = Duplicates::default();
        dups.add(0, &keys[..3]);
        assert_eq!(dups.count(), 1);
        assert!(dups.is_copy(2) && !dups.is_copy(0));
        dups.add(5, &keys[5..]);
        assert_eq!(dups.keyed(), 3, "keys out of turn are dropped");
        dups.add(3, &keys[3..]);
        assert_eq!(
            dups.count(),
            3,
            "two of a b, one of c; empty bodies are not copies"
        );
        let copies: Vec<usize> = (0..keys.len()).filter(|&i| dups.is_copy(i)).collect();
        assert_eq!(copies, [2, 5, 6]);
        assert_eq!(dups.most_repeated(5), [(0, 3), (1, 2)]);
        assert_eq!(dups.group_of(keys[6]), Some((0, 3)));
        assert_eq!(dups.group_of(keys[7]), None);
    }
}
