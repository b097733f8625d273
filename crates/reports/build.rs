//! Deflates the fallback font into the build directory: the PDF writer embeds it inflated
//! on first use, and the binary carries 1.7 MB instead of the font's 3.4 MB.

use std::io::Write as _;
use std::path::PathBuf;

const FONT: &str = "../../assets/fonts/DroidSansFallback.ttf";

fn main() {
    println!("cargo:rerun-if-changed={FONT}");
    let font = std::fs::read(FONT).expect("the fallback font is in assets/fonts");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&font).expect("deflating to memory");
    let deflated = encoder.finish().expect("deflating to memory");
    std::fs::write(out.join("fallback.ttf.zz"), deflated).expect("writing to OUT_DIR");
}
