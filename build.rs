//! Embeds every file under `content/` into the binary, so `deckhand` runs from any directory, and
//! parses it here once, so `deckhand` does not parse RON at every start.
//!
//! Generates `$OUT_DIR/bundled.rs`: a sorted table of (path relative to `content/`, file text),
//! and `PREPARED`, the parsed items of those files (with where each starts) encoded by postcard.
//! Only `.ron` files are embedded; the README and coverage notes stay out of the binary.
//!
//! Bad content never fails the build: when a file does not parse, or lies outside the course's
//! folders, `PREPARED` says so and the app parses the text at start, reporting every problem
//! with its place as `deckhand validate` does.

use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::path::{Path, PathBuf};
use std::{env, fs};

// The loader's own parsing code, so that both paths give the same items.
#[path = "src/content/raw.rs"]
mod raw;
// Only the scan for where items start is used here; the rest serves the loader's messages.
#[allow(dead_code)]
#[path = "src/content/locate.rs"]
mod locate;
#[path = "src/content/parse.rs"]
mod parse;

fn main() {
    let root = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default()).join("content");
    println!("cargo:rerun-if-changed=content");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();

    let mut out = String::from("/// Bundled content: (path relative to `content/`, text).\n");
    out.push_str("pub static BUNDLED: &[(&str, &str)] = &[\n");
    let mut prepared = Some(Vec::with_capacity(files.len()));
    for path in &files {
        let relative = path.strip_prefix(&root).unwrap_or(path);
        let relative = relative.to_string_lossy().replace('\\', "/");
        let _ = writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            path.display().to_string()
        );
        let items = fs::read_to_string(path).ok().and_then(|text| {
            let kind = parse::kind_of(&relative)?;
            parse::parse_whole(kind, &text).ok()
        });
        prepared = prepared.zip(items).map(|(mut all, items)| {
            all.push(items);
            all
        });
    }
    out.push_str("];\n");
    // `None` when any file failed: the app then reads the text (see src/content/load.rs).
    let encoded = postcard::to_allocvec(&prepared).unwrap_or_default();
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    let _ = writeln!(
        out,
        "\n/// The parsed items of `BUNDLED`, in its order: postcard of `Option<Vec<Items>>`.\n\
         pub static PREPARED: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/prepared.bin\"));"
    );
    // The user's parsed files are cached in the same encoding: a cache written by a build with
    // other raw structs must not be read, so the code that defines the encoding stamps it.
    let mut format = DefaultHasher::new();
    for source in [
        "content/raw.rs",
        "content/parse.rs",
        "content/locate.rs",
        "content/cache.rs",
        "hash.rs",
    ] {
        let source = format!("src/{source}");
        println!("cargo:rerun-if-changed={source}");
        let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
        fs::read(manifest.join(&source))
            .unwrap_or_default()
            .hash(&mut format);
    }
    let _ = writeln!(
        out,
        "\n/// Stamps the encoding of `PREPARED` and of the cache of user files.\n\
         pub const FORMAT: u64 = {};",
        format.finish()
    );
    if let Err(err) = fs::write(out_dir.join("prepared.bin"), encoded) {
        panic!("cannot write prepared.bin: {err}");
    }
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
