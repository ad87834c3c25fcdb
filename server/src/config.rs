//! Command-line configuration, parsed by hand to keep the dependency set small.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

/// Usage text printed for `--help` and after argument errors.
pub const USAGE: &str = "\
usage: sse-server [--port N] [--bind ADDR] [--www DIR]

  --port N     TCP port to listen on (default 8080; 0 picks a free port)
  --bind ADDR  IP address to listen on (default 127.0.0.1)
  --www DIR    directory served as static files (default: ./www)
  --help       print this text";

/// Where the server listens and what it serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Address to bind; loopback by default so a test server is never
    /// exposed to the network by accident.
    pub bind: IpAddr,
    /// Port to bind; 0 lets the OS choose (the real port is printed).
    pub port: u16,
    /// Static file root. A missing directory simply serves nothing.
    pub www: PathBuf,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 8080,
            www: PathBuf::from("www"),
        }
    }
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Start the server with this configuration.
    Run(Config),
    /// Print [`USAGE`] and exit successfully.
    Help,
}

/// Parse the arguments after the program name.
///
/// Accepts both `--flag value` and `--flag=value`. Errors are one-line
/// messages meant for stderr, followed by [`USAGE`].
pub fn parse_args<I>(args: I) -> Result<Command, String>
where
    I: IntoIterator<Item = String>,
{
    let mut config = Config::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        if flag == "--help" || flag == "-h" {
            return Ok(Command::Help);
        }
        if !matches!(flag.as_str(), "--port" | "--bind" | "--www") {
            return Err(format!("unknown argument `{arg}`"));
        }
        let value = match inline.or_else(|| args.next()) {
            Some(value) => value,
            None => return Err(format!("`{flag}` needs a value")),
        };
        match flag.as_str() {
            "--port" => {
                config.port = value
                    .parse()
                    .map_err(|_| format!("invalid port `{value}` (expected 0-65535)"))?;
            }
            "--bind" => {
                config.bind = value.parse().map_err(|_| {
                    format!("invalid bind address `{value}` (expected an IP address)")
                })?;
            }
            _ => config.www = PathBuf::from(value),
        }
    }
    Ok(Command::Run(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults() {
        assert_eq!(parse(&[]), Ok(Command::Run(Config::default())));
        let config = Config::default();
        assert_eq!(config.port, 8080);
        assert_eq!(config.bind.to_string(), "127.0.0.1");
        assert_eq!(config.www, PathBuf::from("www"));
    }

    #[test]
    fn all_flags_in_both_spellings() {
        let expected = Config {
            bind: "0.0.0.0".parse().unwrap(),
            port: 0,
            www: PathBuf::from("/srv/site"),
        };
        assert_eq!(
            parse(&["--port", "0", "--bind", "0.0.0.0", "--www", "/srv/site"]),
            Ok(Command::Run(expected.clone()))
        );
        assert_eq!(
            parse(&["--port=0", "--bind=0.0.0.0", "--www=/srv/site"]),
            Ok(Command::Run(expected))
        );
    }

    #[test]
    fn errors() {
        assert!(parse(&["--port", "abc"])
            .unwrap_err()
            .contains("invalid port"));
        assert!(parse(&["--port", "70000"]).is_err());
        assert!(parse(&["--bind", "localhost:1"]).is_err());
        assert!(parse(&["--port"]).unwrap_err().contains("needs a value"));
        assert!(parse(&["--verbose"])
            .unwrap_err()
            .contains("unknown argument"));
        assert!(parse(&["8080"]).is_err());
    }

    #[test]
    fn help() {
        assert_eq!(parse(&["--help"]), Ok(Command::Help));
        assert_eq!(parse(&["--port", "1", "-h"]), Ok(Command::Help));
    }
}
