use super::*;

/// The messages read from `input` (`Ok`: the body), until its end.
async fn frames(input: &[u8]) -> Vec<std::result::Result<Vec<u8>, Error>> {
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
