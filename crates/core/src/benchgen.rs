//! `gazette bench-corpus`: a reproducible generator of German news-like
//! articles for benchmarks.
//!
//! Sentences come from real German news and Wikipedia sentences (GermEval
//! 2014 dev, SmartData; see `data/NOTICE.md`) whose names were replaced by
//! slots (`{PER}`, `{LOC}`, `{ORG}`, `{NUM}`). Slots are filled from a
//! population of people, places and organisations drawn with a Zipf
//! distribution — a few names are everywhere, most are rare, as in a real
//! archive. Each article has a small cast (its protagonists) that it
//! mentions repeatedly: a person first by full name, then by surname, as
//! journalists write. The same `--seed` gives byte-identical output on any
//! machine and thread count (ChaCha8 per article, seeded by index).

use flate2::read::GzDecoder;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Zipf};
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};

fn gz_lines(bytes: &[u8]) -> Vec<String> {
    let mut s = String::new();
    GzDecoder::new(bytes)
        .read_to_string(&mut s)
        .expect("embedded benchgen data is gzip");
    s.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

struct Material {
    templates: Vec<String>,
    persons: Vec<(String, String)>,
    places: Vec<String>,
    orgs: Vec<String>,
}

impl Material {
    fn load(seed: u64) -> Material {
        let templates = gz_lines(include_bytes!("../../../data/benchgen/templates.txt.gz"));
        let first = gz_lines(include_bytes!("../../../data/benchgen/first-names.txt.gz"));
        let sur = gz_lines(include_bytes!("../../../data/benchgen/surnames.txt.gz"));
        let known = gz_lines(include_bytes!("../../../data/benchgen/persons.txt.gz"));
        let mut places = gz_lines(include_bytes!("../../../data/benchgen/places.txt.gz"));
        let mut orgs = gz_lines(include_bytes!("../../../data/benchgen/orgs.txt.gz"));
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        // A population of 30,000 people: real names from the data first, then
        // invented first-name + surname pairs.
        let mut persons: Vec<(String, String)> = known
            .iter()
            .filter_map(|n| {
                n.rsplit_once(' ')
                    .map(|(f, l)| (f.to_string(), l.to_string()))
            })
            .collect();
        while persons.len() < 30_000 {
            persons.push((
                first.choose(&mut rng).unwrap().clone(),
                sur.choose(&mut rng).unwrap().clone(),
            ));
        }
        // Shuffle so that Zipf ranks do not follow the alphabet.
        use rand::seq::SliceRandom;
        persons.shuffle(&mut rng);
        places.shuffle(&mut rng);
        orgs.shuffle(&mut rng);
        Material {
            templates,
            persons,
            places,
            orgs,
        }
    }
}

struct Cast {
    persons: Vec<usize>,
    places: Vec<usize>,
    orgs: Vec<usize>,
    introduced: Vec<bool>,
}

fn zipf_pick(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let z = Zipf::new(n as f64, 1.07).expect("valid zipf");
    (z.sample(rng) as usize).saturating_sub(1).min(n - 1)
}

fn number(rng: &mut ChaCha8Rng) -> String {
    match rng.random_range(0..10) {
        0 => format!("{}", rng.random_range(1990..2026)),
        1 => format!("{},{}", rng.random_range(1..100), rng.random_range(1..10)),
        2 => {
            let n: u32 = rng.random_range(1..1000) * 1000;
            let s = n.to_string();
            format!("{}.{}", &s[..s.len() - 3], &s[s.len() - 3..])
        }
        3 => format!(
            "{}.{:02}.{}",
            rng.random_range(1..29),
            rng.random_range(1..13),
            rng.random_range(2000..2026)
        ),
        _ => format!("{}", rng.random_range(2..100)),
    }
}

fn article(m: &Material, seed: u64, index: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ index);
    let mut cast = Cast {
        persons: (0..rng.random_range(2..5))
            .map(|_| zipf_pick(&mut rng, m.persons.len()))
            .collect(),
        places: (0..rng.random_range(1..4))
            .map(|_| zipf_pick(&mut rng, m.places.len()))
            .collect(),
        orgs: (0..rng.random_range(1..4))
            .map(|_| zipf_pick(&mut rng, m.orgs.len()))
            .collect(),
        introduced: Vec::new(),
    };
    cast.introduced = vec![false; cast.persons.len()];
    let mut out = String::with_capacity(4096);
    let mut fill = |rng: &mut ChaCha8Rng, t: &str, out: &mut String| {
        let mut rest = t;
        while let Some(i) = rest.find('{') {
            out.push_str(&rest[..i]);
            let Some(j) = rest[i..].find('}') else { break };
            let slot = &rest[i + 1..i + j];
            match slot {
                "PER" => {
                    let k = if rng.random_bool(0.75) {
                        rng.random_range(0..cast.persons.len())
                    } else {
                        usize::MAX
                    };
                    let (f, l) = if k == usize::MAX {
                        &m.persons[zipf_pick(rng, m.persons.len())]
                    } else {
                        &m.persons[cast.persons[k]]
                    };
                    if k != usize::MAX && cast.introduced[k] && rng.random_bool(0.7) {
                        out.push_str(l);
                    } else {
                        out.push_str(f);
                        out.push(' ');
                        out.push_str(l);
                        if k != usize::MAX {
                            cast.introduced[k] = true;
                        }
                    }
                }
                "LOC" => {
                    let p = if rng.random_bool(0.6) {
                        *cast.places.choose(rng).unwrap()
                    } else {
                        zipf_pick(rng, m.places.len())
                    };
                    out.push_str(&m.places[p]);
                }
                "ORG" => {
                    let o = if rng.random_bool(0.6) {
                        *cast.orgs.choose(rng).unwrap()
                    } else {
                        zipf_pick(rng, m.orgs.len())
                    };
                    out.push_str(&m.orgs[o]);
                }
                "NUM" => out.push_str(&number(rng)),
                other => {
                    out.push('{');
                    out.push_str(other);
                    out.push('}');
                }
            }
            rest = &rest[i + j + 1..];
        }
        out.push_str(rest);
    };
    // Headline, dateline, paragraphs.
    let headline = m.templates.choose(&mut rng).unwrap();
    fill(&mut rng, headline.trim_end_matches('.'), &mut out);
    out.push_str("\n\n");
    let city = m.places[cast.places[0]].to_uppercase();
    out.push_str(&city);
    out.push_str(" – ");
    let paragraphs = rng.random_range(6..11);
    for p in 0..paragraphs {
        if p > 0 {
            out.push_str("\n\n");
        }
        let sentences = rng.random_range(3..6);
        for s in 0..sentences {
            if s > 0 {
                out.push(' ');
            }
            let t = m.templates.choose(&mut rng).unwrap();
            fill(&mut rng, t, &mut out);
        }
    }
    out.push('\n');
    out
}

/// Generates `n` articles in memory (the same texts `generate` writes).
pub fn articles(n: u64, seed: u64) -> Vec<String> {
    let m = Material::load(seed);
    (0..n)
        .into_par_iter()
        .map(|i| article(&m, seed, i))
        .collect()
}

/// Writes `articles` articles under `out` (1,000 per folder); returns the bytes written.
pub fn generate(out: &Path, articles: u64, seed: u64) -> anyhow::Result<u64> {
    let m = Material::load(seed);
    std::fs::create_dir_all(out)?;
    let bytes: anyhow::Result<Vec<u64>> = (0..articles)
        .into_par_iter()
        .map(|i| {
            let dir: PathBuf = out.join(format!("{:04}", i / 1000));
            // Cheap when it exists; any thread may be first in a folder.
            std::fs::create_dir_all(&dir)?;
            let text = article(&m, seed, i);
            std::fs::write(dir.join(format!("article-{i:07}.txt")), &text)?;
            Ok(text.len() as u64)
        })
        .collect();
    Ok(bytes?.iter().sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_news_like() {
        let m = Material::load(42);
        let a = article(&m, 42, 7);
        assert_eq!(a, article(&m, 42, 7));
        assert_ne!(a, article(&m, 42, 8));
        assert!(a.len() > 1500, "{}", a.len());
        assert!(!a.contains("{PER}") && !a.contains("{NUM}"));
        assert!(a.contains(" – "));
    }
}
