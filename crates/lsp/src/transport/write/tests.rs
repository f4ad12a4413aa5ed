use super::*;
use serde_json::{json, Value};

fn notification(params: Value) -> Request {
    Request::build("n").params(params).finish()
}

fn notifications(params: impl IntoIterator<Item = Value>) -> impl Stream<Item = Request> + Unpin {
    futures::stream::iter(params.into_iter().map(notification).collect::<Vec<_>>())
}

fn reply(id: i64) -> Frame {
    Frame::result(&Id::Number(id), vec![b"true".to_vec()])
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

#[test]
fn results_are_spliced_into_json_rpc_responses() {
    let segments = vec![br#"[{"a":1},"#.to_vec(), br#"{"b":2}]"#.to_vec()];
    let v: Value =
        serde_json::from_slice(&Frame::result(&Id::Number(7), segments).segments.concat()).unwrap();
    assert_eq!(
        v,
        json!({"jsonrpc": "2.0", "id": 7, "result": [{"a": 1}, {"b": 2}]})
    );
    let r = Frame::result(&Id::String("x\"y".into()), vec![b"null".to_vec()]);
    let v: Value = serde_json::from_slice(&r.segments.concat()).unwrap();
    assert_eq!((&v["id"], &v["result"]), (&"x\"y".into(), &Value::Null));
}

/// Responses overtake messages still waiting; each keeps its order.
#[tokio::test]
async fn responses_go_before_waiting_notifications() {
    let mut out = Vec::new();
    let (outbox, writer) = output(Destination::Stream(&mut out));
    outbox.send(reply(0));
    outbox.send(reply(1));
    drop(outbox);
    writer.run(notifications((0..3).map(|i| json!(i)))).await;
    assert_eq!(messages(&out).await, ["r0", "r1", "n0", "n1", "n2"]);
}

/// A response is written by the thread that answered, without the
/// writer; one larger than the pipe is finished by the writer before
/// anything else is written.
#[cfg(unix)]
#[tokio::test]
async fn responses_are_written_by_the_answering_thread() {
    use tokio::io::AsyncReadExt;
    let (tx, mut client) = tokio::net::unix::pipe::pipe().unwrap();
    let (outbox, writer) = output::<tokio::io::Sink>(Destination::Pipe(Pipe::new(tx).unwrap()));
    outbox.send(reply(1));
    let mut got = vec![0u8; 4096];
    let n = client.read(&mut got).await.unwrap();
    assert_eq!(messages(&got[..n]).await, ["r1"]);
    let huge = format!("[{}]", vec!["1"; 200_000].join(","));
    outbox.send(Frame::result(&Id::Number(2), vec![huge.into_bytes()]));
    drop(outbox);
    let writer = tokio::spawn(writer.run(notifications([json!(3)])));
    let mut all = Vec::new();
    client.read_to_end(&mut all).await.unwrap();
    assert_eq!(messages(&all).await, ["r2", "n3"]);
    writer.await.unwrap();
}

/// Messages wait while the client has much left to read; responses do not.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn notifications_wait_for_a_client_that_is_behind() {
    use tokio::io::AsyncReadExt;
    let (tx, mut client) = tokio::net::unix::pipe::pipe().unwrap();
    let (outbox, writer) = output::<tokio::io::Sink>(Destination::Pipe(Pipe::new(tx).unwrap()));
    let big = "x".repeat(20_000);
    let writer = tokio::spawn(writer.run(notifications([json!(big), json!(1)])));
    tokio::time::sleep(Duration::from_millis(50)).await;
    outbox.send(reply(1));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut got = vec![0u8; 1 << 16];
    let n = client.read(&mut got).await.unwrap();
    assert_eq!(
        messages(&got[..n]).await,
        [format!("n\"{big}\""), "r1".into()]
    );
    // The client caught up: the second message follows.
    drop(outbox);
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).await.unwrap();
    assert_eq!(messages(&rest).await, ["n1"]);
    writer.await.unwrap();
}

/// A client that goes away with output unread does not keep the writer
/// waiting for it, nor does an output that fails.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_client_gone_ends_the_writer() {
    let (tx, client) = tokio::net::unix::pipe::pipe().unwrap();
    let (outbox, writer) = output::<tokio::io::Sink>(Destination::Pipe(Pipe::new(tx).unwrap()));
    let writer = tokio::spawn(writer.run(notifications([json!("x".repeat(20_000)), json!(1)])));
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(client);
    let ended = tokio::time::timeout(Duration::from_secs(5), writer).await;
    ended.expect("the writer ended").unwrap();
    drop(outbox);

    struct Gone;
    impl AsyncWrite for Gone {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
            _: &[u8],
        ) -> std::task::Poll<std::io::Result<usize>> {
            std::task::Poll::Ready(Err(ErrorKind::BrokenPipe.into()))
        }
        fn poll_flush(
            self: Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            std::task::Poll::Ready(Ok(()))
        }
        fn poll_shutdown(
            self: Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<std::io::Result<()>> {
            std::task::Poll::Ready(Ok(()))
        }
    }
    // A response keeps the queue open; the failed output ends it anyway.
    let (outbox, writer) = output(Destination::Stream(Gone));
    let run = writer.run(notifications((0..100).map(|i| json!(i))));
    tokio::time::timeout(Duration::from_secs(5), run)
        .await
        .expect("the writer ended");
    drop(outbox);
}
