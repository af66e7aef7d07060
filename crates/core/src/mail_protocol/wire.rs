//! Lines on a mail probe's connection, plain or inside TLS: written within the time limit (the
//! secret AUTH line from zeroed memory), read one at a time up to a size limit. A failure is the
//! detail of a transient fault (`network_error`); it never carries what was being written.

use std::future::Future;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::time::timeout;
use zeroize::Zeroizing;

use super::seconds;
use crate::secret::Secret;

/// `answer` within `limit`, or the detail of the transient fault when none came in time.
pub(crate) async fn answer_within<T>(
    limit: Duration,
    answer: impl Future<Output = T>,
) -> Result<T, String> {
    timeout(limit, answer)
        .await
        .map_err(|_| format!("no answer within {}", seconds(limit)))
}

/// One side of a mail dialogue.
pub(crate) struct Wire<S> {
    stream: BufReader<S>,
    time_limit: Duration,
    max_line: u64,
    /// What the protocol calls an answer in a failure's detail: `reply` (SMTP), `response` (IMAP).
    answer: &'static str,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Wire<S> {
    /// `stream`, written to within `time_limit`, read in lines of at most `max_line` bytes;
    /// `answer` is what the failures call what was being read.
    pub(crate) fn new(
        stream: S,
        time_limit: Duration,
        max_line: u64,
        answer: &'static str,
    ) -> Self {
        Wire {
            stream: BufReader::new(stream),
            time_limit,
            max_line,
            answer,
        }
    }

    /// The time limit of each write, and of each answer.
    pub(crate) fn time_limit(&self) -> Duration {
        self.time_limit
    }

    /// Whether the server sent more than has been read.
    pub(crate) fn has_unread(&self) -> bool {
        !self.stream.buffer().is_empty()
    }

    /// The stream itself (what was buffered and not read is lost).
    pub(crate) fn into_inner(self) -> S {
        self.stream.into_inner()
    }

    /// Send `line` (not a secret) and its CRLF.
    pub(crate) async fn write_line(&mut self, line: &str) -> Result<(), String> {
        self.write(format!("{line}\r\n").as_bytes()).await
    }

    /// Send `prefix`, then `secret` and CRLF, from zeroed memory.
    pub(crate) async fn write_secret_line(
        &mut self,
        prefix: &str,
        secret: &Secret,
    ) -> Result<(), String> {
        let mut wire = Zeroizing::new(Vec::with_capacity(prefix.len() + secret.expose().len() + 2));
        wire.extend_from_slice(prefix.as_bytes());
        wire.extend_from_slice(secret.expose().as_bytes());
        wire.extend_from_slice(b"\r\n");
        self.write(&wire).await
    }

    /// Send `bytes` within the time limit.
    pub(crate) async fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        let stream = self.stream.get_mut();
        let sent = async {
            stream.write_all(bytes).await?;
            stream.flush().await
        };
        match timeout(self.time_limit, sent).await {
            Err(_) => Err("the server stopped reading (timeout)".into()),
            // The error names the I/O failure only, never what was being written.
            Ok(Err(e)) => Err(format!("the connection broke while sending: {e}")),
            Ok(Ok(())) => Ok(()),
        }
    }

    /// Read one line, without its CRLF (no time limit: see [`answer_within`]).
    pub(crate) async fn read_line(&mut self) -> Result<String, String> {
        let mut buf = Vec::new();
        let read = (&mut self.stream)
            .take(self.max_line)
            .read_until(b'\n', &mut buf)
            .await
            .map_err(|e| format!("the connection broke: {e}"))?;
        if read == 0 {
            return Err("the server closed the connection".into());
        }
        if !buf.ends_with(b"\n") {
            let answer = self.answer;
            return Err(if buf.len() as u64 >= self.max_line {
                format!("the server's {answer} line is too long")
            } else {
                format!("the server closed the connection in the middle of a {answer}")
            });
        }
        let text = String::from_utf8_lossy(&buf);
        Ok(text.trim_end_matches(['\r', '\n']).to_string())
    }

    /// Close our side of the connection.
    pub(crate) async fn shutdown(&mut self) {
        let _ = self.stream.get_mut().shutdown().await;
    }
}
