//! Embeds every file under `content/` into the binary, so `deckhand` runs from any directory.
//!
//! Generates `$OUT_DIR/bundled.rs`: a sorted table of (path relative to `content/`, file text).
//! Only `.ron` files are embedded; the README and coverage notes stay out of the binary.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("content");
    println!("cargo:rerun-if-changed=content");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();

    let mut out = String::from("/// Bundled content: (path relative to `content/`, text).\n");
    out.push_str("pub static BUNDLED: &[(&str, &str)] = &[\n");
    for path in &files {
        let relative = path.strip_prefix(&root).unwrap_or(path);
        let relative = relative.to_string_lossy().replace('\\', "/");
        let _ = writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    if let Err(err) = fs::write(out_dir.join("bundled.rs"), out) {
        panic!("cannot write bundled.rs: {err}");
    }
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(&path, files);
        } else if path.extension().is_some_and(|ext| ext == "ron") {
            println!("cargo:rerun-if-changed={}", path.display());
            files.push(path);
        }
    }
}
