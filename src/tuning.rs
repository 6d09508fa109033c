//! The tuning values of reading, loading and searching, each named once: the sizes data is
//! read and cut in, and how many threads work on it (and the one way work is spread on them). `BENCHMARKS.md` says how they were
//! chosen.

/// How much of an input is read first to tell binary data from text and detect the format.
/// Reading stops here for `/dev/zero` or an image instead of filling memory first.
pub const SNIFF_BYTES: usize = 64 << 10;

/// The first piece of a streamed document is small, so that the first screen comes fast.
pub const FIRST_PIECE: usize = 256 << 10;

/// Pieces after the first start at this size and double up to [`LATER_PIECE`]: a small
/// file still splits into enough pieces for every core to parse one.
pub const SECOND_PIECE: usize = 1 << 20;

/// Later pieces are large, so that the store has few chunks and reading costs little per
/// byte.
pub const LATER_PIECE: usize = 32 << 20;

/// Pieces read in place are about this share of the rest of the document per thread, so
/// that a small file still gives every core several, and the cores run out of work at
/// nearly the same time (the last piece is what one waits for)...
pub const PIECES_PER_THREAD: u64 = 8;

/// ...and no smaller than this.
pub const SMALLEST_PIECE: u64 = 512 << 10;

/// Read buffers of this size or more are fresh mappings whose pages are made ready in bulk
/// (see `read::buffer`); smaller ones come from the heap.
pub const MAPPED_FROM: usize = 256 << 10;

/// The most threads that parse pieces or scan for a search at once. Each parsing thread
/// holds a piece of up to [`LATER_PIECE`] in flight, and past this a search is bound by
/// memory bandwidth, not cores.
pub const MAX_THREADS: usize = 8;

/// How many threads to work with: one per core, at most [`MAX_THREADS`].
#[must_use]
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, MAX_THREADS)
}

/// `work(0)`, `work(1)`, … `work(count - 1)` on [`threads`] threads, each taking the next
/// item when it is done with one (items of unequal cost keep every core busy to the end);
/// the results in item order.
pub fn each_on_every_core<T: Send>(count: usize, work: impl Fn(usize) -> T + Sync) -> Vec<T> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let workers = threads().min(count.max(1));
    let mut done: Vec<(usize, T)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            return mine;
                        }
                        mine.push((i, work(i)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, result)| result).collect()
}
