//! The `tfc` executable: parses the command line and hands over to `tf_driver::cli`.

use std::io::Write;

use clap::Parser;
use tf_driver::cli::{run, Cli};

fn main() {
    // clap prints usage errors itself and exits with status 2 (0 for --help and --version).
    let cli = Cli::parse();
    let (mut out, mut err) = (std::io::stdout().lock(), std::io::stderr().lock());
    let status = run(cli, &mut out, &mut err);
    // `process::exit` skips destructors; a failed flush has nowhere left to be reported.
    let _ = out.flush();
    std::process::exit(status);
}
