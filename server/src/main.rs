//! `sse-server` binary: parse arguments, bind, announce the address on one
//! stdout line (scripts parse it), serve until SIGINT/SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use sse_server::{config::USAGE, parse_args, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("sse-server: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if !config.www.is_dir() {
        eprintln!(
            "sse-server: static root {} is not a directory; serving no static files",
            config.www.display()
        );
    }
    let listener = match sse_server::bind(&config).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!(
                "sse-server: cannot listen on {}:{}: {err}",
                config.bind, config.port
            );
            return ExitCode::FAILURE;
        }
    };
    let announced = listener.local_addr().and_then(|addr| {
        let mut out = std::io::stdout().lock();
        writeln!(out, "sse-server listening on http://{addr}")?;
        out.flush()
    });
    if let Err(err) = announced {
        eprintln!("sse-server: cannot announce the address: {err}");
        return ExitCode::FAILURE;
    }
    match sse_server::serve(listener, config, sse_server::shutdown::os_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sse-server: {err}");
            ExitCode::FAILURE
        }
    }
}
