// The built-in banks are embedded with `include_dir!`; a file added under `assets/banks` must
// rebuild the crate too (cargo scans a directory named here recursively).
fn main() {
    println!("cargo:rerun-if-changed=../../assets/banks");
}
