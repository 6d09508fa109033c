//! Fuzz target: the container stage (gzip, zstd, bzip2, xz, zip, tar, Parquet, and what
//! they hold) on any bytes: truncated and corrupted streams of every kind, seeded with a
//! small valid one of each (`fuzz/seeds/containers/`). Whatever loads is checked like any
//! loaded document; nothing may panic, and a bomb stops at the size cap.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let options = revue::load::Options::default();
    let unpacked = revue::collect::load_bytes_unpacked(data.to_vec(), "fuzz", &options, 16 << 20);
    let doc = &unpacked.document;
    for r in &doc.reviews {
        revue_fuzz::assert_clean(&doc.title(r), "title");
        revue_fuzz::assert_clean(&doc.author(r), "author");
        revue_fuzz::assert_clean(&doc.body(r), "body");
        if let Some((reply, _)) = doc.reply(r) {
            revue_fuzz::assert_clean(&reply, "reply");
        }
    }
    for w in &unpacked.warnings {
        revue_fuzz::assert_clean(&w.warning.message, "warning");
    }
});
