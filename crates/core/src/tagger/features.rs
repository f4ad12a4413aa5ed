//! Feature extraction: every feature is a 64-bit hash of (template id,
//! values), reduced to a row of a fixed-size weight table. No allocation per
//! feature; per token a handful of word-level hashes are computed once and
//! combined with the neighbours'.

use fxhash::FxHashMap;

/// Gazetteer classes (bits of the lexicon mask).
pub mod gaz {
    pub const FIRST_NAME: u16 = 1;
    pub const SURNAME: u16 = 1 << 1;
    pub const TOPONYM: u16 = 1 << 2;
    pub const TOWN_DE: u16 = 1 << 3;
    pub const COUNTRY: u16 = 1 << 4;
    /// A word inside a multi-word country/territory name ("Vereinigte", "Emirate").
    pub const COUNTRY_PART: u16 = 1 << 5;
    /// An adjective derived from a country ("russische", "Französisch").
    pub const COUNTRY_ADJ: u16 = 1 << 6;
    pub const LANGUAGE: u16 = 1 << 7;
    pub const NBITS: u32 = 8;
}

/// Lexical knowledge compiled into the model: word form -> (Brown cluster,
/// gazetteer mask). `NO_CLUSTER` marks words known only to a gazetteer.
pub const NO_CLUSTER: u32 = u32::MAX;

/// Word form -> (cluster, mask) while building.
pub type LexiconMap = FxHashMap<Box<str>, (u32, u16)>;

/// The compiled lexicon: words are kept only as 32-bit hashes (a lookup of an
/// unknown word hits a stored hash with probability entries / 2^32, about
/// 0.02 % for 800k entries), in an open-addressing table built at load time
/// whose slots hold the hash, cluster and mask together: a lookup touches
/// one cache line (it runs for every token, and a table of 800k words does
/// not fit in cache).
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    slots: Vec<Slot>,
    len: usize,
}

#[derive(Clone, Copy, Debug, Default)]
#[repr(C)]
struct Slot {
    key: u32,
    /// Brown cluster, u16::MAX = none.
    cluster: u16,
    mask: u8,
    used: bool,
}

#[inline]
pub fn key32(w: &str) -> u32 {
    (finish(hash_str(w)) >> 32) as u32
}

impl Lexicon {
    pub fn from_map(map: &LexiconMap) -> Lexicon {
        let mut pairs: Vec<(u32, u32, u16)> =
            map.iter().map(|(w, &(c, g))| (key32(w), c, g)).collect();
        pairs.sort_unstable();
        // Merge hash collisions: OR the masks, keep the first cluster.
        let mut keys = Vec::with_capacity(pairs.len());
        let mut clusters = Vec::with_capacity(pairs.len());
        let mut masks: Vec<u8> = Vec::with_capacity(pairs.len());
        for (k, c, g) in pairs {
            if keys.last() == Some(&k) {
                *masks.last_mut().unwrap() |= g as u8;
                continue;
            }
            keys.push(k);
            clusters.push(if c == NO_CLUSTER {
                u16::MAX
            } else {
                c.min(u16::MAX as u32 - 1) as u16
            });
            masks.push(g as u8);
        }
        Lexicon::from_parts(keys, clusters, masks)
    }

    /// From parallel arrays sorted by (unique) key.
    pub fn from_parts(keys: Vec<u32>, clusters: Vec<u16>, masks: Vec<u8>) -> Lexicon {
        let size = (keys.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![Slot::default(); size];
        let m = size - 1;
        for ((&key, &cluster), &mask) in keys.iter().zip(&clusters).zip(&masks) {
            let mut j = key as usize & m;
            while slots[j].used {
                j = (j + 1) & m;
            }
            slots[j] = Slot {
                key,
                cluster,
                mask,
                used: true,
            };
        }
        Lexicon {
            slots,
            len: keys.len(),
        }
    }

    /// The entries as parallel arrays sorted by key (the model file's layout).
    pub fn to_parts(&self) -> (Vec<u32>, Vec<u16>, Vec<u8>) {
        let mut e: Vec<Slot> = self.slots.iter().filter(|s| s.used).copied().collect();
        e.sort_unstable_by_key(|s| s.key);
        (
            e.iter().map(|s| s.key).collect(),
            e.iter().map(|s| s.cluster).collect(),
            e.iter().map(|s| s.mask).collect(),
        )
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    pub fn get(&self, w: &str) -> Option<(u32, u16)> {
        if self.slots.is_empty() {
            return None;
        }
        let k = key32(w);
        let m = self.slots.len() - 1;
        let mut j = k as usize & m;
        loop {
            let s = self.slots[j];
            if !s.used {
                return None;
            }
            if s.key == k {
                let c = if s.cluster == u16::MAX {
                    NO_CLUSTER
                } else {
                    s.cluster as u32
                };
                return Some((c, s.mask as u16));
            }
            j = (j + 1) & m;
        }
    }
}

#[inline]
pub fn mix(a: u64, b: u64) -> u64 {
    (a.rotate_left(5) ^ b).wrapping_mul(0x517c_c1b7_2722_0a95)
}

#[inline]
fn finish(mut h: u64) -> u64 {
    // splitmix64 finaliser: spreads the Fx state over all bits.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[inline]
fn hash_str(s: &str) -> u64 {
    let mut h = 0x9e37_79b9_7f4a_7c15u64;
    let b = s.as_bytes();
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = mix(h, u64::from_le_bytes(c.try_into().unwrap()));
    }
    let r = chunks.remainder();
    let mut last = [0u8; 8];
    last[..r.len()].copy_from_slice(r);
    mix(mix(h, u64::from_le_bytes(last)), b.len() as u64)
}

/// The hash a word is found by in the tagger's word memo.
#[inline]
pub fn word_hash(w: &str) -> u64 {
    finish(hash_str(w))
}

#[inline]
fn hash_lower(s: &str) -> u64 {
    if s.bytes().all(|b| !b.is_ascii_uppercase() && b < 0x80) {
        return hash_str(s);
    }
    if s.is_ascii() {
        let mut buf = [0u8; 64];
        if s.len() <= 64 {
            for (d, b) in buf.iter_mut().zip(s.bytes()) {
                *d = b.to_ascii_lowercase();
            }
            // SAFETY-free: ASCII stays valid UTF-8.
            return hash_str(std::str::from_utf8(&buf[..s.len()]).unwrap());
        }
    }
    let mut tmp = String::with_capacity(s.len());
    for c in s.chars() {
        tmp.extend(c.to_lowercase());
    }
    hash_str(&tmp)
}

fn char_class(c: char) -> u8 {
    if c.is_uppercase() {
        b'X'
    } else if c.is_lowercase() {
        b'x'
    } else if c.is_ascii_digit() {
        b'd'
    } else if c.is_alphabetic() {
        b'a'
    } else if c.is_ascii() {
        c as u8
    } else {
        b'*'
    }
}

/// (collapsed shape hash, long shape hash): "Müller" -> "Xx" / "Xxxxx",
/// "NATO-Truppen" -> "X-Xx" / "XXXX-Xxxxx" (runs capped at 4).
fn shapes(s: &str) -> (u64, u64) {
    let mut short = 0x51u64;
    let mut long = 0x52u64;
    let mut prev = 0u8;
    let mut run = 0;
    for c in s.chars() {
        let k = char_class(c);
        if k == prev {
            run += 1;
        } else {
            run = 1;
            short = mix(short, k as u64);
        }
        if run <= 4 {
            long = mix(long, k as u64);
        }
        prev = k;
    }
    (short, long)
}

/// Per-token word-level information, computed once per token.
#[derive(Clone, Copy, Default)]
pub struct TokInfo {
    pub lw: u64,
    pub w: u64,
    pub shape: u64,
    pub lshape: u64,
    pub suf: [u64; 4],
    pub pre: [u64; 2],
    pub cluster: u32,
    pub gaz: u16,
    /// Gazetteer mask of the word minus a genitive "s".
    pub gaz_s: u16,
    /// Brown cluster of the word minus a final "s" (genitive).
    pub cluster_s: u32,
    /// Hyphen compounds: lower-case hash, cluster and mask of the first and last part.
    pub head: u64,
    pub tail: u64,
    pub head_gaz: u16,
    pub tail_gaz: u16,
    pub head_cluster: u32,
    pub has_hyphen: bool,
    pub upper_first: bool,
    pub all_upper: bool,
    pub len: u8,
}

fn suffix_start(s: &str, n: usize) -> Option<usize> {
    s.char_indices().rev().nth(n - 1).map(|(i, _)| i)
}
fn prefix_end(s: &str, n: usize) -> Option<usize> {
    let mut it = s.char_indices();
    it.nth(n).map(|(i, _)| i).or(if s.chars().count() == n {
        Some(s.len())
    } else {
        None
    })
}

fn lookup(lex: &Lexicon, w: &str, scratch: &mut String) -> (u32, u16) {
    if let Some(v) = lex.get(w) {
        return v;
    }
    // Fall back to the lower-case form for the cluster (sentence-initial or all-caps words).
    if w.chars().any(|c| c.is_uppercase()) {
        scratch.clear();
        for c in w.chars() {
            scratch.extend(c.to_lowercase());
        }
        if let Some((c, _)) = lex.get(scratch.as_str()) {
            return (c, 0);
        }
        // All-caps: try the title-case form ("BRÜSSEL" -> "Brüssel").
        let mut chars = scratch.chars();
        if let Some(f) = chars.next() {
            let rest = chars.as_str().to_string();
            scratch.clear();
            scratch.extend(f.to_uppercase());
            scratch.push_str(&rest);
            if let Some(v) = lex.get(scratch.as_str()) {
                return v;
            }
        }
    }
    (NO_CLUSTER, 0)
}

/// Word-level information of `w`; `scratch` and `lower` are reusable buffers.
pub fn tok_info(lex: &Lexicon, w: &str, scratch: &mut String, lower: &mut String) -> TokInfo {
    let (cluster, gaz) = lookup(lex, w, scratch);
    let (shape, lshape) = shapes(w);
    lower.clear();
    if w.is_ascii() {
        lower.extend(w.bytes().map(|b| b.to_ascii_lowercase() as char));
    } else {
        for c in w.chars() {
            lower.extend(c.to_lowercase());
        }
    }
    let lw = hash_str(lower);
    let mut suf = [0u64; 4];
    for (k, n) in (2..=5).enumerate() {
        suf[k] = match suffix_start(lower, n) {
            Some(i) => mix(n as u64, hash_str(&lower[i..])),
            None => mix(n as u64, 1),
        };
    }
    let mut pre = [0u64; 2];
    for (k, n) in (3..=4).enumerate() {
        pre[k] = match prefix_end(w, n) {
            Some(i) => mix(n as u64, hash_str(&w[..i])),
            None => mix(n as u64, 1),
        };
    }
    let (cluster_s, gaz_s) = if w.len() > 3 && w.ends_with('s') {
        lex.get(&w[..w.len() - 1])
            .map_or((NO_CLUSTER, 0), |v| (v.0, if gaz == 0 { v.1 } else { 0 }))
    } else {
        (NO_CLUSTER, 0)
    };
    let mut info = TokInfo {
        lw,
        w: hash_str(w),
        shape,
        lshape,
        suf,
        pre,
        cluster,
        gaz,
        gaz_s,
        cluster_s,
        upper_first: w.chars().next().is_some_and(|c| c.is_uppercase()),
        all_upper: w.chars().filter(|c| c.is_alphabetic()).count() > 1
            && w.chars().all(|c| !c.is_lowercase()),
        len: w.chars().count().min(255) as u8,
        head_cluster: NO_CLUSTER,
        ..TokInfo::default()
    };
    if let (Some(a), Some(b)) = (w.find('-'), w.rfind('-')) {
        if a > 0 && b + 1 < w.len() {
            let head = &w[..a];
            let tail = &w[b + 1..];
            info.has_hyphen = true;
            info.head = hash_lower(head);
            info.tail = hash_lower(tail);
            let (hc, hg) = lookup(lex, head, scratch);
            info.head_cluster = hc;
            info.head_gaz = hg;
            info.tail_gaz = lex.get(tail).map_or(0, |v| v.1);
        }
    }
    info
}

const BOS: u64 = 0xB05;
const EOS: u64 = 0xE05;

/// Appends the feature rows of token `i` to `out`: the token's own
/// features, then those that look at its neighbours and position (`ctx`:
/// [`Ctx::of`] each of `infos`).
pub fn features(infos: &[TokInfo], ctx: &[Ctx], i: usize, mask: u64, out: &mut Vec<u32>) {
    own_features(&infos[i], mask, out);
    context_features(ctx, i, mask, out);
}

/// What the features that look at a token's context read of it and of
/// its neighbours: a 32-byte part of its [`TokInfo`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ctx {
    pub lw: u64,
    pub shape: u64,
    /// The hash of its last three letters (`TokInfo::suf[1]`).
    pub suf3: u64,
    pub cluster: u32,
    pub gaz: u16,
}

impl Ctx {
    pub fn of(t: &TokInfo) -> Ctx {
        Ctx {
            lw: t.lw,
            shape: t.shape,
            suf3: t.suf[1],
            cluster: t.cluster,
            gaz: t.gaz,
        }
    }
}

#[inline]
fn row(tid: u64, v: u64, mask: u64) -> u32 {
    (finish(mix(mix(tid, v), 0x7a6)) & mask) as u32
}

/// The first `bits` bits of a cluster (`None`: past the sentence).
fn cluster_bits(cluster: Option<u32>, bits: u32) -> u64 {
    cluster.map_or(0xFFFF_FFFE, |c| {
        if c == NO_CLUSTER {
            NO_CLUSTER
        } else {
            c & ((1 << bits) - 1)
        }
    }) as u64
}

/// Appends the rows of the features of a word alone (its form, affixes,
/// shape, cluster, gazetteer classes): the same wherever the word occurs,
/// so a tagger may sum their weights once per word
/// ([`super::Tagger`]'s word memo).
pub fn own_features(t: &TokInfo, mask: u64, out: &mut Vec<u32>) {
    let mut push = |tid: u64, v: u64| out.push(row(tid, v, mask));
    push(1, 0);
    push(2, t.w);
    push(3, t.lw);
    for (k, s) in t.suf.iter().enumerate() {
        push(4 + k as u64, *s);
    }
    push(8, t.pre[0]);
    push(9, t.pre[1]);
    push(10, t.shape);
    push(11, t.lshape);
    for (k, bits) in [4u32, 6, 10, 16].into_iter().enumerate() {
        push(12 + k as u64, cluster_bits(Some(t.cluster), bits));
    }
    for b in 0..gaz::NBITS {
        if t.gaz & (1 << b) != 0 {
            push(16, b as u64);
            push(17, mix(b as u64, t.upper_first as u64));
        }
        if t.gaz_s & (1 << b) != 0 {
            push(18, b as u64);
        }
        if t.head_gaz & (1 << b) != 0 {
            push(19, b as u64);
        }
        if t.tail_gaz & (1 << b) != 0 {
            push(20, b as u64);
        }
    }
    if t.has_hyphen {
        push(25, t.head);
        push(26, t.tail);
        push(
            27,
            if t.head_cluster == NO_CLUSTER {
                NO_CLUSTER as u64
            } else {
                (t.head_cluster & 0x3ff) as u64
            },
        );
    }
    push(
        49,
        mix(
            t.len.min(12) as u64,
            t.upper_first as u64 + 2 * t.all_upper as u64,
        ),
    );
    if t.cluster_s != NO_CLUSTER {
        push(54, (t.cluster_s & 0x3ff) as u64);
        push(55, (t.cluster_s & 0x3f) as u64);
    }
}

/// Appends the rows of the features of token `i` that look at its
/// neighbours or its position in the sentence.
pub fn context_features(ctx: &[Ctx], i: usize, mask: u64, out: &mut Vec<u32>) {
    let n = ctx.len();
    let t = &ctx[i];
    let get = |j: isize| -> Option<&Ctx> {
        if j < 0 || j as usize >= n {
            None
        } else {
            Some(&ctx[j as usize])
        }
    };
    let ii = i as isize;
    let p1 = get(ii - 1);
    let n1 = get(ii + 1);
    let p2 = get(ii - 2);
    let n2 = get(ii + 2);
    let lw = |x: Option<&Ctx>, pad: u64| x.map_or(pad, |x| x.lw);
    let sh = |x: Option<&Ctx>, pad: u64| x.map_or(pad, |x| x.shape);
    let cl = |x: Option<&Ctx>, bits: u32| cluster_bits(x.map(|x| x.cluster), bits);
    let me = Some(t);
    let mut push = |tid: u64, v: u64| out.push(row(tid, v, mask));
    for b in 0..gaz::NBITS {
        if p1.is_some_and(|p| p.gaz & (1 << b) != 0) {
            push(21, b as u64);
        }
        if n1.is_some_and(|p| p.gaz & (1 << b) != 0) {
            push(22, b as u64);
        }
    }
    push(23, mix(t.gaz as u64, n1.map_or(0xFFFF, |x| x.gaz as u64)));
    push(24, mix(p1.map_or(0xFFFF, |x| x.gaz as u64), t.gaz as u64));
    push(28, lw(p1, BOS));
    push(29, lw(n1, EOS));
    push(30, lw(p2, BOS));
    push(31, lw(n2, EOS));
    push(32, sh(p1, BOS));
    push(33, sh(n1, EOS));
    push(34, mix(sh(p1, BOS), t.shape));
    push(35, mix(t.shape, sh(n1, EOS)));
    push(36, mix(mix(sh(p1, BOS), t.shape), sh(n1, EOS)));
    push(37, cl(p1, 6));
    push(38, cl(n1, 6));
    push(39, cl(p1, 10));
    push(40, cl(n1, 10));
    push(41, mix(lw(p1, BOS), t.lw));
    push(42, mix(t.lw, lw(n1, EOS)));
    push(43, mix(lw(p1, BOS), t.shape));
    push(44, mix(t.shape, lw(n1, EOS)));
    push(45, mix((i == 0) as u64, t.shape));
    if i == 0 {
        push(46, t.lw);
    }
    push(47, p1.map_or(BOS, |x| x.suf3));
    push(48, n1.map_or(EOS, |x| x.suf3));
    push(50, mix(lw(p2, BOS), lw(p1, BOS)));
    push(51, mix(lw(n1, EOS), lw(n2, EOS)));
    push(52, mix(cl(p1, 10), cl(me, 10)));
    push(53, mix(cl(me, 10), cl(n1, 10)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        assert_eq!(shapes("Müller").0, shapes("Ab").0);
        assert_ne!(shapes("Müller").0, shapes("NATO").0);
        assert_eq!(shapes("Müllerxxxx").1, shapes("Müller").1);
    }

    #[test]
    fn lower_hash_ignores_case() {
        assert_eq!(hash_lower("BRÜSSEL"), hash_lower("brüssel"));
        assert_eq!(hash_lower("Haus"), hash_str("haus"));
        assert_ne!(hash_str("Haus"), hash_str("haus"));
    }

    #[test]
    fn affixes() {
        assert_eq!(suffix_start("Müller", 2), Some(5));
        assert_eq!(prefix_end("Müller", 3), Some(4));
        assert_eq!(prefix_end("Ab", 3), None);
        assert_eq!(prefix_end("Abc", 3), Some(3));
    }

    #[test]
    fn lexicon_lookup_falls_back() {
        let mut map = LexiconMap::default();
        map.insert("Brüssel".into(), (5, gaz::TOWN_DE));
        map.insert("haus".into(), (7, 0));
        let lex = Lexicon::from_map(&map);
        assert_eq!(lex.len(), 2);
        let mut s = String::new();
        assert_eq!(lookup(&lex, "BRÜSSEL", &mut s), (5, gaz::TOWN_DE));
        assert_eq!(lookup(&lex, "Haus", &mut s), (7, 0));
        assert_eq!(lookup(&lex, "Xyz", &mut s), (NO_CLUSTER, 0));
        let t = tok_info(&lex, "Brüssel-Besuch", &mut s, &mut String::new());
        let u = tok_info(&lex, "BRÜSSEL-BESUCH", &mut s, &mut String::new());
        assert_eq!(t.lw, u.lw);
        assert_eq!(t.suf, u.suf);
        assert_eq!(t.lw, hash_lower("brüssel-besuch"));
        assert!(t.has_hyphen);
        assert_eq!(t.head_gaz, gaz::TOWN_DE);
    }
}
