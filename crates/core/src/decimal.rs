//! Exact decimal numbers for figure values: an integer mantissa and a
//! power-of-ten scale, `value = mantissa / 10^scale`.
//!
//! Figures are decimals as written ("8,2 Milliarden", "0,1 Prozent"); an
//! `f64` cannot hold most of them and turns "8,2 Milliarden" into
//! 8199999999.999999. A [`Decimal`] is always normalised (no trailing zero in
//! the mantissa while the scale is above 0), so `==` and `Hash` compare
//! values. Mantissa and scale share one `i64` (the scale in the low 5 bits),
//! so a figure value stays 16 bytes: mantissas up to 2^58 (about 2.9 ×
//! 10^17: 17 significant digits, every integer figure up to 288 billiards);
//! arithmetic that would overflow returns `None` and the caller drops the
//! figure rather than round it.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;

/// The largest scale (digits after the decimal point) kept.
const MAX_SCALE: u32 = 18;
/// Bits of the packed word that hold the scale.
const SCALE_BITS: u32 = 5;
/// Mantissas lie strictly between `-LIMIT` and `LIMIT`.
const LIMIT: i64 = 1 << (63 - SCALE_BITS);

const POW10: [i64; 19] = {
    let mut p = [1i64; 19];
    let mut i = 1;
    while i < 19 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// An exact decimal number (see the module docs): `mantissa << 5 | scale`.
/// Read back (from the persistent index) only when it is one [`Decimal::new`]
/// makes: a damaged word with a scale over 18 made `Display` overflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64")]
pub struct Decimal(i64);

impl TryFrom<i64> for Decimal {
    type Error = String;
    /// The packed word, if it is normalised and within the limits.
    fn try_from(w: i64) -> Result<Decimal, String> {
        let scale = (w & ((1 << SCALE_BITS) - 1)) as u32;
        match Decimal::new(w >> SCALE_BITS, scale) {
            Some(d) if d.0 == w => Ok(d),
            _ => Err(format!("{w:#x} is not a packed decimal")),
        }
    }
}

impl Decimal {
    pub const ZERO: Decimal = Decimal(0);
    pub const ONE: Decimal = Decimal(1 << SCALE_BITS);

    /// An integer; `None` beyond ±2^58.
    pub fn int(i: i64) -> Option<Decimal> {
        Decimal::new(i, 0)
    }

    /// An integer of at most 17 digits (lexicon values, small constants).
    ///
    /// # Panics
    /// Beyond ±2^58.
    pub fn from_int(i: i64) -> Decimal {
        Decimal::int(i).expect("integer within ±2^58")
    }

    /// `mant / 10^scale`, normalised; `None` when the mantissa is beyond
    /// ±2^58 or the scale over 18 and neither can be reduced without losing
    /// digits.
    pub fn new(mut mant: i64, mut scale: u32) -> Option<Decimal> {
        while scale > 0 && mant % 10 == 0 {
            mant /= 10;
            scale -= 1;
        }
        if mant == 0 {
            scale = 0;
        }
        (scale <= MAX_SCALE && mant.unsigned_abs() < LIMIT as u64)
            .then_some(Decimal((mant << SCALE_BITS) | i64::from(scale)))
    }

    fn mant(self) -> i64 {
        self.0 >> SCALE_BITS
    }

    fn scale_u8(self) -> u8 {
        (self.0 & ((1 << SCALE_BITS) - 1)) as u8
    }

    /// Parses plain ASCII notation: an optional "-", digits, and optionally
    /// "." and more digits ("8200000000", "2.5", "-0.1"). `None` for anything
    /// else and for numbers that do not fit.
    pub fn parse(s: &str) -> Option<Decimal> {
        let (neg, s) = match s.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, s),
        };
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i, f),
            None => (s, ""),
        };
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (s.contains('.') && frac.is_empty()) {
            return None;
        }
        // Trailing zeros of the fraction carry no value: drop them before
        // they can overflow the mantissa.
        let frac = frac.trim_end_matches('0');
        let mut mant: i64 = 0;
        for b in int.bytes().chain(frac.bytes()) {
            mant = mant.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
        }
        let d = Decimal::new(mant, u32::try_from(frac.len()).ok()?)?;
        Some(if neg { -d } else { d })
    }

    /// The exact value of a float that has a short decimal form (number
    /// words: 2, 1.5, 1000): tries up to 6 decimals.
    pub fn from_f64_exact(v: f64) -> Option<Decimal> {
        if !v.is_finite() {
            return None;
        }
        for k in 0..=6u32 {
            let m = v * POW10[k as usize] as f64;
            if m.fract() == 0.0 && m.abs() < 9.0e15 {
                return Decimal::new(m as i64, k);
            }
        }
        None
    }

    pub fn mantissa(self) -> i64 {
        self.mant()
    }

    pub fn scale(self) -> u32 {
        u32::from(self.scale_u8())
    }

    pub fn is_integer(self) -> bool {
        self.scale_u8() == 0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// The value when it is an integer.
    pub fn to_i64(self) -> Option<i64> {
        self.is_integer().then_some(self.mant())
    }

    /// The nearest `f64` (correctly rounded: parsed from the exact digits).
    pub fn to_f64(self) -> f64 {
        if self.is_integer() {
            return self.mant() as f64;
        }
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    pub fn checked_mul(self, o: Decimal) -> Option<Decimal> {
        Decimal::new(self.mant().checked_mul(o.mant())?, self.scale() + o.scale())
    }

    pub fn checked_add(self, o: Decimal) -> Option<Decimal> {
        let s = self.scale().max(o.scale());
        let a = self
            .mant()
            .checked_mul(*POW10.get((s - self.scale()) as usize)?)?;
        let b = o
            .mant()
            .checked_mul(*POW10.get((s - o.scale()) as usize)?)?;
        Decimal::new(a.checked_add(b)?, s)
    }

    /// Integer and fraction digits of the absolute value ("8", "2" for 8.2).
    fn digits(self) -> (String, String) {
        let abs = self.mant().unsigned_abs();
        let scale = self.scale();
        if scale == 0 {
            return (abs.to_string(), String::new());
        }
        let p = 10u64.pow(scale);
        let frac = format!("{:0width$}", abs % p, width = scale as usize);
        ((abs / p).to_string(), frac)
    }

    /// German notation: decimal comma, and thousands grouped with "." when
    /// `group` ("8.200.000.000", "2,5", "-1.234,56"); without grouping
    /// ("2014") for years and identifiers.
    pub fn german(self, group: bool) -> String {
        let (int, frac) = self.digits();
        let mut out = String::with_capacity(int.len() + frac.len() + 8);
        if self.is_negative() {
            out.push('-');
        }
        if group && int.len() > 3 {
            for (k, c) in int.chars().enumerate() {
                if k > 0 && (int.len() - k) % 3 == 0 {
                    out.push('.');
                }
                out.push(c);
            }
        } else {
            out.push_str(&int);
        }
        if !frac.is_empty() {
            out.push(',');
            out.push_str(&frac);
        }
        out
    }
}

impl fmt::Display for Decimal {
    /// Plain notation with a decimal point and no exponent ("8200000000",
    /// "2.5", "0.1"), the form of quantity keys.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.mant().unsigned_abs();
        let sign = if self.is_negative() { "-" } else { "" };
        match self.scale() {
            0 => write!(f, "{sign}{abs}"),
            s => {
                let p = 10u64.pow(s);
                let w = s as usize;
                write!(f, "{sign}{}.{:0w$}", abs / p, abs % p)
            }
        }
    }
}

impl Ord for Decimal {
    fn cmp(&self, o: &Decimal) -> Ordering {
        let s = self.scale().max(o.scale());
        let a = i128::from(self.mant()) * 10i128.pow(s - self.scale());
        let b = i128::from(o.mant()) * 10i128.pow(s - o.scale());
        a.cmp(&b)
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, o: &Decimal) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl std::ops::Neg for Decimal {
    type Output = Decimal;
    fn neg(self) -> Decimal {
        // |mantissa| < 2^58: its negation fits.
        Decimal((-self.mant() << SCALE_BITS) | i64::from(self.scale_u8()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn only_normalised_words_are_read_back() {
        for s in ["0", "2.5", "-0.1", "8200000000", "0.000000000000000001"] {
            let w = bincode::serde::encode_to_vec(d(s), bincode::config::standard()).unwrap();
            let back: Decimal = bincode::serde::decode_from_slice(&w, bincode::config::standard())
                .unwrap()
                .0;
            assert_eq!(back, d(s));
            assert_eq!(
                serde_json::from_str::<Decimal>(&serde_json::to_string(&d(s)).unwrap()).unwrap(),
                d(s)
            );
        }
        // A scale over 18 (this overflowed `10u64.pow` in `Display`), a
        // trailing zero with a scale, a scale on zero: errors.
        for w in [(25 << SCALE_BITS) | 31, (20 << SCALE_BITS) | 1, 3, i64::MIN] {
            assert!(Decimal::try_from(w).is_err(), "{w}");
            assert!(serde_json::from_str::<Decimal>(&w.to_string()).is_err());
        }
    }

    #[test]
    fn parses_and_prints_exactly() {
        for s in [
            "0",
            "1",
            "2.5",
            "0.1",
            "-0.1",
            "1234.56",
            "8200000000",
            "-7",
        ] {
            assert_eq!(d(s).to_string(), s);
        }
        assert_eq!(d("2.50").to_string(), "2.5");
        assert_eq!(d("100.000").to_string(), "100");
        assert_eq!(d("-0").to_string(), "0");
        assert_eq!(d("-2.5").to_string(), "-2.5");
        assert_eq!((-d("2.5")).to_string(), "-2.5");
        assert!(d("-2.5").is_negative() && d("-2.5").scale() == 1);
        for bad in [
            "",
            "-",
            ".5",
            "5.",
            "1e5",
            "1,5",
            "1.2.3",
            "١",
            "99999999999999999999",
        ] {
            assert_eq!(Decimal::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn scaling_is_exact() {
        let bn = Decimal::from_int(1_000_000_000);
        let m = Decimal::from_int(1_000_000);
        assert_eq!(
            d("8.2").checked_mul(bn).unwrap().to_i64(),
            Some(8_200_000_000)
        );
        assert_eq!(d("1.3").checked_mul(m).unwrap().to_i64(), Some(1_300_000));
        assert_eq!(d("6.3").checked_mul(m).unwrap().to_string(), "6300000");
        assert_eq!(d("0.001").checked_mul(m).unwrap().to_string(), "1000");
        assert_eq!(d("2.5").checked_add(d("0.75")).unwrap().to_string(), "3.25");
        assert_eq!(
            Decimal::from_int(100).checked_mul(Decimal::from_int(1000)),
            Some(Decimal::from_int(100_000))
        );
        // Overflow is reported, not rounded.
        assert_eq!(
            Decimal::from_int(1 << 50).checked_mul(Decimal::from_int(1000)),
            None
        );
        assert_eq!(Decimal::int(1 << 58), None);
        assert_eq!(Decimal::int(-(1 << 58)), None);
        assert_eq!(
            Decimal::int(1 - (1 << 58)).map(|d| (-d).mantissa()),
            Some((1 << 58) - 1)
        );
        assert_eq!(
            Decimal::parse("288230376151711743").map(|d| d.mantissa()),
            Some((1 << 58) - 1)
        );
        assert_eq!(Decimal::parse("288230376151711744"), None);
        // Packed into one word (so that a figure value stays 16 bytes).
        assert_eq!(std::mem::size_of::<Decimal>(), 8);
        // Normalised: equal values are equal and hash alike.
        assert_eq!(d("2.50"), d("2.5"));
        assert_eq!(Decimal::new(25, 1), Some(d("2.5")));
        assert!(d("2.5") < d("10") && d("-1") < d("0.1"));
        assert_eq!(d("0.1").to_f64(), 0.1);
        assert_eq!(Decimal::from_f64_exact(1.5), Some(d("1.5")));
        assert_eq!(Decimal::from_f64_exact(3000.0), Some(d("3000")));
    }

    #[test]
    fn german_notation() {
        assert_eq!(d("8200000000").german(true), "8.200.000.000");
        assert_eq!(d("100000").german(true), "100.000");
        assert_eq!(d("1000").german(true), "1.000");
        assert_eq!(d("999").german(true), "999");
        assert_eq!(d("2.5").german(true), "2,5");
        assert_eq!(d("-1234.56").german(true), "-1.234,56");
        assert_eq!(d("0.05").german(true), "0,05");
        assert_eq!(d("2014").german(false), "2014");
    }
}
