//! Model file format.
//!
//! ```text
//! magic   8 bytes  b"GZNER\0\0\x01"  (last byte = format version)
//! body    gzip stream of bincode-2 (standard config) [`ModelFile`]
//! ```
//! Weights are a hashed table of `2^bits` rows × [`NLABELS`] i16 values
//! (little-endian bytes), quantised with one global `scale` (real weight =
//! q × scale). The lexicon (Brown clusters of the frequent word forms and the
//! gazetteer masks) stores words as sorted 32-bit hashes, delta-coded as
//! LEB128 varints, with parallel arrays of clusters (u16 LE, 0xFFFF = none)
//! and masks (u8).

use super::features::Lexicon;
use super::{allowed, Label, NEG, NLABELS};
use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};

pub const MAGIC: &[u8; 8] = b"GZNER\0\0\x02";

#[derive(Serialize, Deserialize)]
pub struct ModelFile {
    pub bits: u32,
    pub scale: f32,
    /// i16 little-endian.
    pub weights: Vec<u8>,
    /// NLABELS × NLABELS transition weights (from, to), then NLABELS start weights.
    pub trans: Vec<f32>,
    pub start: Vec<f32>,
    pub lex_keys: Vec<u8>,
    pub lex_clusters: Vec<u8>,
    pub lex_masks: Vec<u8>,
    /// Free text: data and settings it was trained with.
    pub info: String,
}

/// A loaded model ready for tagging.
pub struct Model {
    pub bits: u32,
    pub scale: f32,
    pub weights: Vec<i16>,
    pub trans_q: [[i32; NLABELS]; NLABELS],
    pub start_q: [i32; NLABELS],
    pub allowed: [[bool; NLABELS]; NLABELS],
    /// `trans_q` by (to, from), [`NEG`] where `allowed` says no: the
    /// forward pass's inner loop without a branch.
    pub trans_to: [[i32; NLABELS]; NLABELS],
    /// `trans_q` by (from, to), [`NEG`] where `allowed` says no.
    pub trans_from: [[i32; NLABELS]; NLABELS],
    pub lexicon: Lexicon,
    pub info: String,
}

impl Model {
    /// Builds a model from trained f32 weights (quantising them).
    pub fn from_weights(
        bits: u32,
        weights: &[f32],
        trans: &[f32],
        start: &[f32],
        lexicon: Lexicon,
        info: String,
    ) -> Model {
        let max = weights
            .iter()
            .chain(trans)
            .chain(start)
            .fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let q = |w: f32| (w / scale).round().clamp(-32767.0, 32767.0) as i16;
        let weights: Vec<i16> = weights.iter().map(|&w| q(w)).collect();
        Self::assemble(bits, scale, weights, trans, start, lexicon, info)
    }

    fn assemble(
        bits: u32,
        scale: f32,
        weights: Vec<i16>,
        trans: &[f32],
        start: &[f32],
        lexicon: Lexicon,
        info: String,
    ) -> Model {
        let mut trans_q = [[0i32; NLABELS]; NLABELS];
        let mut allowed_m = [[false; NLABELS]; NLABELS];
        for p in 0..NLABELS {
            for l in 0..NLABELS {
                trans_q[p][l] = (trans[p * NLABELS + l] / scale).round() as i32;
                allowed_m[p][l] = allowed(Some(Label(p as u8)), Label(l as u8));
            }
        }
        let mut trans_to = [[NEG; NLABELS]; NLABELS];
        let mut trans_from = [[NEG; NLABELS]; NLABELS];
        for p in 0..NLABELS {
            for l in 0..NLABELS {
                if allowed_m[p][l] {
                    trans_to[l][p] = trans_q[p][l];
                    trans_from[p][l] = trans_q[p][l];
                }
            }
        }
        let mut start_q = [0i32; NLABELS];
        for l in 0..NLABELS {
            start_q[l] = (start[l] / scale).round() as i32;
        }
        Model {
            bits,
            scale,
            weights,
            trans_q,
            start_q,
            allowed: allowed_m,
            trans_to,
            trans_from,
            lexicon,
            info,
        }
    }

    pub fn encode(&self) -> anyhow::Result<Vec<u8>> {
        let (keys, clusters, masks) = self.lexicon.to_parts();
        let mut lex_keys = Vec::new();
        let mut prev = 0u32;
        for &k in &keys {
            let mut d = k - prev;
            prev = k;
            loop {
                let b = (d & 0x7f) as u8;
                d >>= 7;
                if d == 0 {
                    lex_keys.push(b);
                    break;
                }
                lex_keys.push(b | 0x80);
            }
        }
        let file = ModelFile {
            bits: self.bits,
            scale: self.scale,
            weights: self.weights.iter().flat_map(|w| w.to_le_bytes()).collect(),
            trans: (0..NLABELS * NLABELS)
                .map(|i| self.trans_q[i / NLABELS][i % NLABELS] as f32 * self.scale)
                .collect(),
            start: self
                .start_q
                .iter()
                .map(|&q| q as f32 * self.scale)
                .collect(),
            lex_keys,
            lex_clusters: clusters.iter().flat_map(|c| c.to_le_bytes()).collect(),
            lex_masks: masks,
            info: self.info.clone(),
        };
        let body = bincode::serde::encode_to_vec(&file, bincode::config::standard())?;
        let mut out = MAGIC.to_vec();
        let mut gz = flate2::write::GzEncoder::new(&mut out, flate2::Compression::best());
        gz.write_all(&body)?;
        gz.finish()?;
        Ok(out)
    }

    pub fn decode(bytes: &[u8]) -> anyhow::Result<Model> {
        if bytes.len() < MAGIC.len() || bytes[..7] != MAGIC[..7] {
            bail!("not a gazette NER model (bad magic)");
        }
        if bytes[7] != MAGIC[7] {
            bail!("unsupported NER model version {}", bytes[7]);
        }
        let mut body = Vec::new();
        flate2::read::GzDecoder::new(&bytes[8..])
            .read_to_end(&mut body)
            .context("decompressing NER model")?;
        let (file, _): (ModelFile, usize) =
            bincode::serde::decode_from_slice(&body, bincode::config::standard())
                .context("decoding NER model")?;
        if file.weights.len() != (1usize << file.bits) * NLABELS * 2
            || file.trans.len() != NLABELS * NLABELS
            || file.start.len() != NLABELS
        {
            bail!("NER model has inconsistent sizes");
        }
        let weights: Vec<i16> = file
            .weights
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        let mut keys = Vec::with_capacity(file.lex_masks.len());
        let (mut acc, mut shift, mut prev) = (0u32, 0, 0u32);
        for &b in &file.lex_keys {
            acc |= ((b & 0x7f) as u32) << shift;
            if b & 0x80 == 0 {
                prev = prev.wrapping_add(acc);
                keys.push(prev);
                acc = 0;
                shift = 0;
            } else {
                shift += 7;
            }
        }
        let clusters: Vec<u16> = file
            .lex_clusters
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        if keys.len() != file.lex_masks.len() || clusters.len() != keys.len() {
            bail!("NER model lexicon is inconsistent");
        }
        let lexicon = Lexicon::from_parts(keys, clusters, file.lex_masks);
        Ok(Self::assemble(
            file.bits,
            file.scale,
            weights,
            &file.trans,
            &file.start,
            lexicon,
            file.info,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_round_trip() {
        let bits = 4;
        let w: Vec<f32> = (0..(1 << bits) * NLABELS)
            .map(|i| i as f32 - 50.0)
            .collect();
        let t: Vec<f32> = (0..NLABELS * NLABELS).map(|i| i as f32 * 0.5).collect();
        let s = vec![1.0; NLABELS];
        let mut map = super::super::features::LexiconMap::default();
        map.insert("Berlin".into(), (3, 8));
        map.insert("und".into(), (26, 0));
        map.insert("Ort".into(), (super::super::features::NO_CLUSTER, 4));
        let lex = Lexicon::from_map(&map);
        let m = Model::from_weights(bits, &w, &t, &s, lex, "test".into());
        let bytes = m.encode().unwrap();
        let m2 = Model::decode(&bytes).unwrap();
        assert_eq!(m2.weights, m.weights);
        assert_eq!(m2.trans_q, m.trans_q);
        assert_eq!(m2.start_q, m.start_q);
        assert_eq!(m2.lexicon.get("Berlin"), Some((3, 8)));
        assert_eq!(
            m2.lexicon.get("Ort"),
            Some((super::super::features::NO_CLUSTER, 4))
        );
        assert_eq!(m2.lexicon.get("Paris"), None);
        assert_eq!(m2.info, "test");
        assert!(Model::decode(b"nonsense").is_err());
    }
}
