//! The `tfc` executable: parses the command line and hands over to `tf_driver::cli`.

use std::io::Write;

use clap::Parser;
use tf_driver::cli::{run, Cli};

/// Stack for the compiler thread: stages walk syntax trees recursively (the parser bounds their
/// depth; this leaves a wide margin for the walks in between).
const STACK_BYTES: usize = 256 << 20;

fn main() {
    // clap prints usage errors itself and exits with status 2 (0 for --help and --version).
    let cli = Cli::parse();
    let work = move || {
        // Not locked for the whole run: `tfc run` prints the program's output from another thread.
        let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
        let status = run(cli, &mut out, &mut err);
        // `process::exit` skips destructors; a failed flush has nowhere left to be reported.
        let _ = out.flush();
        status
    };
    let status = match std::thread::Builder::new().name("tfc".into()).stack_size(STACK_BYTES).spawn(work) {
        Ok(handle) => handle.join().unwrap_or(101),
        Err(e) => {
            eprintln!("error: cannot start the compiler thread: {e}");
            2
        }
    };
    std::process::exit(status);
}
