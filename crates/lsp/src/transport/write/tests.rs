use super::*;
use serde_json::json;
use std::io::{ErrorKind, Read};

fn notifications(params: impl IntoIterator<Item = Value>) -> impl Stream<Item = Request> + Unpin {
    let n = |p| Request::build("n").params(p).finish();
    futures::stream::iter(params.into_iter().map(n).collect::<Vec<_>>())
}

fn reply(id: i64) -> Frame {
    Frame::result(&Id::Number(id), vec![b"true".to_vec().into()])
}

/// The messages in `out`, as "r<id>" (responses) and "n<params>".
async fn messages(out: &[u8]) -> Vec<String> {
    let mut r = tokio::io::BufReader::new(out);
    let mut seen = Vec::new();
    while let Some(m) = super::super::read::next(&mut r, usize::MAX).await.unwrap() {
        seen.push(match m {
            super::super::read::Incoming::Response(r) => format!("r{}", r.id()),
            super::super::read::Incoming::Request(n) => format!("n{}", n.params().unwrap()),
            bad => panic!("{bad:?}"),
        });
    }
    seen
}

/// An in-memory output the test reads back.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Shared {
    fn bytes(&self) -> Vec<u8> {
        self.0.lock().clone()
    }
}

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> Result<usize> {
        self.0.lock().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
}

#[test]
fn results_are_spliced_into_json_rpc_responses() {
    let segments = vec![
        br#"[{"a":1},"#.to_vec().into(),
        br#"{"b":2}]"#.to_vec().into(),
    ];
    let v: Value =
        serde_json::from_slice(&Segment::concat(&Frame::result(&Id::Number(7), segments).0))
            .unwrap();
    assert_eq!(
        v,
        json!({"jsonrpc": "2.0", "id": 7, "result": [{"a": 1}, {"b": 2}]})
    );
    let r = Frame::result(&Id::String("x\"y".into()), vec![b"null".to_vec().into()]);
    let v: Value = serde_json::from_slice(&Segment::concat(&r.0)).unwrap();
    assert_eq!((&v["id"], &v["result"]), (&"x\"y".into(), &Value::Null));
}

/// Responses are written at once, the server's messages in their order.
#[tokio::test]
async fn responses_are_written_at_once_and_messages_in_order() {
    let buf = Shared::default();
    let out = Output::writer(buf.clone());
    out.send(reply(0));
    assert_eq!(messages(&buf.bytes()).await, ["r0"]);
    out.send(reply(1));
    out.run(notifications((0..40).map(|i| json!(i)))).await;
    let seen = messages(&buf.bytes()).await;
    assert_eq!(seen[..3], ["r0", "r1", "n0"]);
    assert_eq!(seen.len(), 42);
    assert!(seen[2..]
        .iter()
        .enumerate()
        .all(|(i, n)| *n == format!("n{i}")));
}

/// Messages wait while the client has much left to read; responses do not.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn notifications_wait_for_a_client_that_is_behind() {
    let (mut client, tx) = std::io::pipe().unwrap();
    let out = Output::file(File::from(std::os::fd::OwnedFd::from(tx)));
    let big = "x".repeat(20_000);
    let run = tokio::spawn({
        let out = out.clone();
        async move { out.run(notifications([json!(big), json!(1)])).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    out.send(reply(1));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut got = vec![0u8; 1 << 16];
    let n = client.read(&mut got).unwrap();
    let big = "x".repeat(20_000);
    assert_eq!(
        messages(&got[..n]).await,
        [format!("n\"{big}\""), "r1".into()]
    );
    // The client caught up: the second message follows.
    run.await.unwrap();
    drop(out);
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).unwrap();
    assert_eq!(messages(&rest).await, ["n1"]);
}

/// A client that goes away with output unread does not keep the writer
/// waiting for it, nor does an output that fails.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_client_gone_ends_the_writer() {
    let (client, tx) = std::io::pipe().unwrap();
    let out = Output::file(File::from(std::os::fd::OwnedFd::from(tx)));
    let run = tokio::spawn({
        let out = out.clone();
        async move {
            out.run(notifications([json!("x".repeat(20_000)), json!(1)]))
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(client);
    let ended = tokio::time::timeout(Duration::from_secs(5), run).await;
    ended.expect("the writer ended").unwrap();
    out.send(reply(1)); // Not written, not an error.

    struct Gone;
    impl Write for Gone {
        fn write(&mut self, _: &[u8]) -> Result<usize> {
            Err(ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> Result<()> {
            Ok(())
        }
    }
    let gone = Output::writer(Gone);
    let run = gone.run(notifications((0..100).map(|i| json!(i))));
    tokio::time::timeout(Duration::from_secs(5), run)
        .await
        .expect("the writer ended");
}
