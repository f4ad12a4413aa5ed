//! The client's messages off the byte stream: one tolerant frame reader.
//!
//! A malformed frame (no or a bad `Content-Length`, over
//! [`MAX_MESSAGE_BYTES`], a body that is not UTF-8, not JSON or not a
//! JSON-RPC message) is read as [`Incoming::Bad`] with the error the
//! specification asks for, and reading goes on: garbage between frames is
//! skipped, oversized bodies are discarded as they stream. Only the end of
//! input (or an I/O error) ends the stream.

use serde::Deserialize;
use serde_json::Value;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};

/// Largest message accepted (a `didOpen` carries a whole document; the
/// corpus size limit is far below this).
pub const MAX_MESSAGE_BYTES: usize = 512 << 20;
/// Longest header line kept; longer lines are garbage and skipped.
const MAX_HEADER_LINE: usize = 4096;

/// One message from the client.
#[derive(Debug)]
pub enum Incoming {
    Request(Request),
    Response(Response),
    /// A malformed frame: the error to answer, with the id it had if any.
    Bad(Error, Id),
}

/// The next message; `None` at the end of input (also inside a frame).
pub async fn next<R: AsyncBufRead + Unpin>(
    r: &mut R,
    max: usize,
) -> std::io::Result<Option<Incoming>> {
    Ok(read_frame(r, max).await?.map(|body| match body {
        Ok(body) => parse(&lone_surrogates_replaced(body)),
        Err(e) => Incoming::Bad(e, Id::Null),
    }))
}

fn error(code: ErrorCode, message: String) -> Error {
    let message = message.into();
    Error {
        code,
        message,
        data: None,
    }
}

/// One frame's body, or the error a frame that cannot be read is answered
/// with; `None` at the end of input.
async fn read_frame<R: AsyncBufRead + Unpin>(
    r: &mut R,
    max: usize,
) -> std::io::Result<Option<Result<Vec<u8>, Error>>> {
    let missing = "gazette: message without a Content-Length header";
    let mut len = Err(error(ErrorCode::ParseError, missing.into()));
    let mut saw_header = false;
    loop {
        let Some(line) = header_line(r).await? else {
            return Ok(None);
        };
        let Ok(line) = std::str::from_utf8(&line).map(str::trim) else {
            tracing::warn!("skipping a header line that is not UTF-8");
            continue;
        };
        match line.split_once(':') {
            // A blank line ends the header (or is a stray one between frames).
            None if line.is_empty() && saw_header => break,
            None if line.is_empty() => {}
            None => tracing::warn!("skipping garbage before a message: {line:.80}"),
            Some((name, value)) => {
                saw_header = true;
                if name.trim().eq_ignore_ascii_case("content-length") {
                    let value = value.trim();
                    len = value.parse::<usize>().map_err(|e| {
                        let message = format!("invalid Content-Length {value:.40}: {e}");
                        error(ErrorCode::ParseError, message)
                    });
                }
            }
        }
    }
    let len = match len {
        Ok(len) => len,
        Err(e) => return Ok(Some(Err(e))),
    };
    let mut rest = r.take(len as u64);
    if len > max {
        let n = tokio::io::copy(&mut rest, &mut tokio::io::sink()).await? as usize;
        let message = format!("gazette: message of {len} bytes is over the limit of {max}");
        return Ok((n == len).then(|| Err(error(ErrorCode::InvalidRequest, message))));
    }
    let mut body = Vec::new();
    Ok((rest.read_to_end(&mut body).await? == len).then_some(Ok(body)))
}

/// One header line, cut at [`MAX_HEADER_LINE`] bytes (the rest of a longer
/// one is skipped); `None` at the end of input.
async fn header_line<R: AsyncBufRead + Unpin>(r: &mut R) -> std::io::Result<Option<Vec<u8>>> {
    let limit = MAX_HEADER_LINE as u64;
    let mut line = Vec::new();
    let mut n = (&mut *r).take(limit).read_until(b'\n', &mut line).await?;
    if n == 0 {
        return Ok(None);
    }
    let mut skipped = Vec::new();
    while n > 0 && !line.ends_with(b"\n") && !skipped.ends_with(b"\n") {
        skipped.clear();
        n = (&mut *r)
            .take(limit)
            .read_until(b'\n', &mut skipped)
            .await?;
    }
    Ok(Some(line))
}

/// A body as a request (or notification), a response, or the error to
/// answer it with.
pub fn parse(body: &[u8]) -> Incoming {
    // A request's `method` defaults to "" when missing: a body without one
    // is a response if it reads as one (as tower-lsp reads messages).
    match serde_json::from_slice::<Request>(body) {
        Ok(req) if !req.method().is_empty() => Incoming::Request(req),
        req => match (serde_json::from_slice::<Response>(body), req) {
            (Ok(resp), _) => Incoming::Response(resp),
            (_, Ok(req)) => Incoming::Request(req),
            _ => invalid(body),
        },
    }
}

/// The error a body that is no JSON-RPC message is answered with.
fn invalid(body: &[u8]) -> Incoming {
    let (code, message, id) = match std::str::from_utf8(body).map(serde_json::from_str::<Value>) {
        Err(e) => (
            ErrorCode::ParseError,
            format!("gazette: message is not UTF-8: {e}"),
            None,
        ),
        Ok(Err(e)) => (
            ErrorCode::ParseError,
            format!("gazette: invalid JSON: {e}"),
            None,
        ),
        Ok(Ok(v)) => {
            let message = "gazette: not a JSON-RPC 2.0 request, notification or response";
            let id = v.get("id").and_then(|id| Id::deserialize(id).ok());
            (ErrorCode::InvalidRequest, message.into(), id)
        }
    };
    Incoming::Bad(error(code, message), id.unwrap_or(Id::Null))
}

/// `body` with every unpaired UTF-16 surrogate escape (`\\ud800` without
/// its low half, or a low half alone) replaced by `\\ufffd`.
///
/// JavaScript strings may hold lone surrogates (an editor's buffer in the
/// middle of an edit, a pasted half of an emoji), and clients send them as
/// JSON escapes; serde_json refuses them, which would drop the whole
/// message — a `didChange` lost makes the server's text diverge from the
/// editor's for the rest of the session. U+FFFD is one UTF-16 unit like the
/// lone surrogate, so every later position in the document stays right.
/// Escapes only occur inside JSON strings, where `\\\\` is the only other
/// escape that could precede a `u`; both are walked as escapes.
pub fn lone_surrogates_replaced(mut body: Vec<u8>) -> Vec<u8> {
    fn unit_at(b: &[u8], i: usize) -> Option<u16> {
        if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
            return None;
        }
        let hex = std::str::from_utf8(b.get(i + 2..i + 6)?).ok()?;
        u16::from_str_radix(hex, 16).ok()
    }
    const HIGH: std::ops::RangeInclusive<u16> = 0xD800..=0xDBFF;
    const LOW: std::ops::RangeInclusive<u16> = 0xDC00..=0xDFFF;
    let mut i = 0;
    while let Some(at) = body
        .get(i..)
        .and_then(|b| b.iter().position(|&c| c == b'\\'))
    {
        i += at;
        let lone = match unit_at(&body, i) {
            Some(u) if HIGH.contains(&u) => {
                !unit_at(&body, i + 6).is_some_and(|l| LOW.contains(&l))
            }
            Some(u) => LOW.contains(&u),
            None => {
                i += 2;
                continue;
            }
        };
        if lone {
            body[i + 2..i + 6].copy_from_slice(b"fffd");
            i += 6;
        } else {
            // A pair (12 bytes) or another escape (6).
            i += if HIGH.contains(&unit_at(&body, i).unwrap_or(0)) {
                12
            } else {
                6
            };
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages read from `input` (`Ok`: the body), until its end.
    async fn frames(input: &[u8]) -> Vec<Result<Vec<u8>, Error>> {
        let mut r = tokio::io::BufReader::new(input);
        let mut out = Vec::new();
        while let Some(f) = read_frame(&mut r, 1000).await.unwrap() {
            out.push(f);
        }
        out
    }

    #[tokio::test]
    async fn reads_frames_and_skips_garbage() {
        let input = b"garbage line\r\n\r\nContent-Length: 2\r\n\r\n{}\
                      content-length:3\r\nContent-Type: x\r\n\r\n[1]\
                      Content-Length: zz\r\n\r\nContent-Length: 1\r\n\r\n";
        let f = frames(input).await;
        assert!(matches!(&f[0], Ok(b) if b == b"{}"), "{f:?}");
        assert!(matches!(&f[1], Ok(b) if b == b"[1]"), "{f:?}");
        assert!(
            matches!(&f[2], Err(e) if e.code == ErrorCode::ParseError),
            "{f:?}"
        );
        // The last frame is cut off by the end of input.
        assert_eq!(f.len(), 3, "{f:?}");
    }

    #[tokio::test]
    async fn oversized_frames_are_discarded_and_reading_goes_on() {
        let mut input = b"Content-Length: 5000\r\n\r\n".to_vec();
        input.resize(input.len() + 5000, b'x');
        input.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
        let f = frames(&input).await;
        assert!(matches!(&f[0], Err(e) if e.code == ErrorCode::InvalidRequest));
        assert!(matches!(&f[1], Ok(b) if b == b"{}"));
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let fix = |s: &str| String::from_utf8(lone_surrogates_replaced(s.into())).unwrap();
        // Lone high, lone low, high at the end, and one at the end of input.
        assert_eq!(fix(r#"{"t":"a\ud800b"}"#), r#"{"t":"a\ufffdb"}"#);
        assert_eq!(fix(r#"{"t":"\uDC00"}"#), r#"{"t":"\ufffd"}"#);
        assert_eq!(fix(r#"{"t":"\ud800\u0041"}"#), r#"{"t":"\ufffd\u0041"}"#);
        assert_eq!(fix(r#""\ud83d"#), r#""\ufffd"#);
        // Pairs, escaped backslashes and other escapes are left alone.
        for ok in [
            r#"{"t":"\ud83d\ude00"}"#,
            r#"{"t":"\\ud800"}"#,
            r#"{"t":"\n\"\\\u00e4"}"#,
            r#"{"t":"\"#,
            r#"{"t":"\u12"}"#,
        ] {
            assert_eq!(fix(ok), ok);
        }
    }

    #[test]
    fn classifies_bodies() {
        let bad = |b: &[u8]| match parse(b) {
            Incoming::Bad(e, id) => (e.code, id),
            m => panic!("{m:?}"),
        };
        assert!(matches!(
            parse(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#),
            Incoming::Request(_)
        ));
        assert!(matches!(
            parse(br#"{"jsonrpc":"2.0","method":"x","params":[]}"#),
            Incoming::Request(_)
        ));
        assert!(matches!(
            parse(br#"{"jsonrpc":"2.0","id":1,"result":null}"#),
            Incoming::Response(_)
        ));
        assert_eq!(bad(b"{nope"), (ErrorCode::ParseError, Id::Null));
        let wrong = br#"{"jsonrpc":"2.0","id":7,"method":5}"#;
        assert_eq!(bad(wrong), (ErrorCode::InvalidRequest, Id::Number(7)));
        assert_eq!(bad(b"\xff\xfe").0, ErrorCode::ParseError);
    }

    proptest::proptest! {
        /// Any UTF-16 sequence sent as escapes decodes as std's lossy UTF-16
        /// decoder would (a lone surrogate is one U+FFFD), unit for unit.
        #[test]
        fn any_utf16_escapes_decode_like_decode_utf16(
            units in proptest::collection::vec(
                proptest::prop_oneof![0xD7F0u16..0xE010, proptest::num::u16::ANY], 0..24)
        ) {
            let mut json = String::from("{\"t\":\"");
            for u in &units {
                json.push_str(&format!("\\u{u:04x}"));
            }
            json.push_str("\"}");
            let fixed = lone_surrogates_replaced(json.into_bytes());
            let v: serde_json::Value = serde_json::from_slice(&fixed).unwrap();
            let want: String = char::decode_utf16(units.iter().copied())
                .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            proptest::prop_assert_eq!(v["t"].as_str().unwrap(), want.as_str());
        }

        /// Whatever the bytes, reading ends at the end of input; every frame
        /// that is there is read, a good one between any garbage included.
        #[test]
        fn any_bytes_are_read_to_the_end(
            garbage in proptest::collection::vec(proptest::num::u8::ANY, 0..600),
            split in 0usize..600,
        ) {
            let good = b"Content-Length: 2\r\n\r\n{}";
            let at = split.min(garbage.len());
            let mut input = garbage[..at].to_vec();
            input.extend_from_slice(b"\r\n\r\n");
            input.extend_from_slice(good);
            input.extend_from_slice(&garbage[at..]);
            let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
            let read = rt.block_on(async {
                let mut r = tokio::io::BufReader::new(&input[..]);
                let mut n = 0;
                while let Some(m) = next(&mut r, 100).await.unwrap() {
                    if let Incoming::Bad(e, _) = &m {
                        proptest::prop_assert!(e.code == ErrorCode::ParseError || e.code == ErrorCode::InvalidRequest);
                    }
                    n += 1;
                    proptest::prop_assert!(n <= input.len());
                }
                Ok(n)
            })?;
            // The good frame may be swallowed as the body of a garbage
            // frame's length, but never ends the reading before it.
            proptest::prop_assert!(read >= 1 || garbage[..at].windows(15).any(|w| w.eq_ignore_ascii_case(b"content-length:")));
        }
    }
}
