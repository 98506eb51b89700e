//! A shaping relay for trying PresignDesk on a slow, far-away line without leaving the machine:
//! forwards 127.0.0.1:PORT to a server on loopback with a delay in each direction and bandwidth
//! caps per connection and in total.
//!
//!     cargo run --release --example relay -- --port 9702 --to 127.0.0.1:9700 \
//!         --delay-ms 40 --per-connection-mib 16 --total-mib 256
//!
//! (40 ms each way is an 80 ms round trip.) Stop it with Ctrl-C.

// The tests' own shaping relay; this program uses only part of it.
#[allow(dead_code)]
#[path = "../tests/support/relay.rs"]
mod relay;

use std::net::SocketAddr;
use std::time::Duration;

use relay::{Relay, Shape};

fn options() -> Result<(u16, SocketAddr, Shape), String> {
    let (mut port, mut target, mut shape) = (0, None, Shape::default());
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        let number = |text: String| {
            text.parse::<u64>()
                .map_err(|_| format!("{arg} takes a number"))
        };
        match arg.as_str() {
            "--port" => port = number(value()?)? as u16,
            "--to" => target = Some(value()?.parse().map_err(|_| "--to takes HOST:PORT")?),
            "--delay-ms" => shape.one_way_delay = Duration::from_millis(number(value()?)?),
            "--per-connection-mib" => shape.per_connection = Some(number(value()?)? << 20),
            "--total-mib" => shape.total = Some(number(value()?)? << 20),
            _ => {
                return Err("usage: relay [--port N] --to HOST:PORT [--delay-ms MS] \
                     [--per-connection-mib MIB/S] [--total-mib MIB/S]"
                    .into());
            }
        }
    }
    Ok((port, target.ok_or("--to is needed")?, shape))
}

#[tokio::main]
async fn main() {
    let (port, target, shape) = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let relay = match Relay::start(port, target, shape).await {
        Ok(relay) => relay,
        Err(e) => {
            eprintln!("could not listen on 127.0.0.1:{port}: {e}");
            std::process::exit(1);
        }
    };
    println!("relay {} -> {target}, {shape:?}", relay.addr);
    let _ = tokio::signal::ctrl_c().await;
}
