//! Where `print` output goes: standard output, or a capture buffer so tests (and a host that
//! wants the program's output as a string) can read what generated code printed.

use std::io::Write;
use std::sync::{Mutex, PoisonError};

static CAPTURE: Mutex<Option<Vec<u8>>> = Mutex::new(None);
/// Serialises captures: two concurrent captures would each see the other's output.
static CAPTURE_TURN: Mutex<()> = Mutex::new(());

/// Writes program output. Errors writing to stdout (a closed pipe) are ignored, as `print` in
/// the language cannot fail.
pub fn write(bytes: &[u8]) {
    let mut cap = CAPTURE.lock().unwrap_or_else(PoisonError::into_inner);
    match cap.as_mut() {
        Some(buf) => buf.extend_from_slice(bytes),
        None => {
            let _ = std::io::stdout().lock().write_all(bytes);
        }
    }
}

/// Flushes standard output.
pub fn flush() {
    let _ = std::io::stdout().lock().flush();
}

/// Runs `f` with program output captured, and returns its result and the output (lossy UTF-8).
/// Output printed by any thread during `f` is captured.
pub fn capture<R>(f: impl FnOnce() -> R) -> (R, String) {
    let _turn = CAPTURE_TURN.lock().unwrap_or_else(PoisonError::into_inner);
    *CAPTURE.lock().unwrap_or_else(PoisonError::into_inner) = Some(Vec::new());
    // Restore stdout even if f panics.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            CAPTURE.lock().unwrap_or_else(PoisonError::into_inner).take();
        }
    }
    let reset = Reset;
    let r = f();
    let out = CAPTURE.lock().unwrap_or_else(PoisonError::into_inner).take().unwrap_or_default();
    drop(reset);
    (r, String::from_utf8_lossy(&out).into_owned())
}
