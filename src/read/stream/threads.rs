//! Reading the rest of a document after its first piece on every core: a file read in place
//! by every parsing thread, each its own pieces; a pipe read by one thread that cuts pieces
//! for the others; the pieces handed on in order.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};

use super::home::Home;
use super::{Buffer, Piece, ReadAt, StreamError, Tally, fill, follow, parse_anywhere};
use crate::load::{Loaded, PieceReader};
use crate::tuning::{
    LATER_PIECE, PIECES_PER_THREAD, SECOND_PIECE, SMALLEST_PIECE, SNIFF_BYTES, threads,
};

/// A piece of work for the parsing threads.
pub(super) struct Job {
    seq: usize,
    bytes: Vec<u8>,
    /// Where the piece starts in the input.
    offset: u64,
    bytes_read: u64,
    last: bool,
}

/// How the rest of a document after its first piece is read: from where, with what cap,
/// and where its text goes.
pub(super) struct Plan<'h> {
    pub(super) start: u64,
    pub(super) max_size: u64,
    pub(super) home: Option<&'h Home>,
    /// The last piece ends after the last whole record (see [`follow::whole_records`]).
    pub(super) follow: bool,
    /// A piece that is not UTF-8 is read in the encoding it looks like.
    pub(super) detect: bool,
}

/// What comes back from the reading and parsing threads.
pub(super) enum Done {
    /// Piece `seq`, its warnings numbered from its own first line.
    Parsed {
        seq: usize,
        /// Boxed: a piece's document is large beside a failure.
        loaded: Box<Loaded>,
        /// Lines the piece holds, to number the next piece's warnings.
        lines: usize,
        bytes_read: u64,
        last: bool,
    },
    Failed(StreamError),
}

/// Makes the calling parsing thread give way to every ordinary one: the load takes all the
/// time the processor has left, but the thread drawing the screen (and anything else the
/// user runs) goes first, so the first frame and keys are not held up behind it.
pub(super) fn yield_to_the_screen() {
    // Per thread only on Linux, where a thread id names one thread; elsewhere it would
    // lower the whole process.
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(Some(rustix::thread::gettid()), 10);
}

/// Hands the pieces arriving on `done` on in order (they finish out of order), numbering
/// their warnings in the whole document, whose first piece held `first_line` lines. Sets
/// `stop` when a thread failed or the receiver wants no more, and goes on taking what
/// arrives until every sender is gone.
pub(super) fn deliver_in_order(
    done: &mpsc::Receiver<Done>,
    first_line: usize,
    stop: &AtomicBool,
    tally: &mut Tally,
    on_piece: &mut dyn FnMut(Piece) -> bool,
) -> Result<(u64, usize), StreamError> {
    let mut ready: BTreeMap<usize, (Loaded, usize, u64, bool)> = BTreeMap::new();
    let mut next = 0;
    let mut lines_before = first_line;
    let mut last_end = 0;
    let mut failure = None;
    for message in done {
        match message {
            Done::Parsed {
                seq,
                loaded,
                lines,
                bytes_read,
                last,
            } => {
                ready.insert(seq, (*loaded, lines, bytes_read, last));
            }
            Done::Failed(err) => {
                failure.get_or_insert(err);
                stop.store(true, Ordering::Relaxed);
            }
        }
        while failure.is_none()
            && let Some((mut loaded, lines, bytes_read, last)) = ready.remove(&next)
        {
            next += 1;
            for w in &mut loaded.warnings {
                crate::load::shift(w, lines_before);
            }
            lines_before += lines;
            last_end = bytes_read;
            if !tally.deliver(loaded, bytes_read, last, on_piece) {
                failure = Some(StreamError::Cancelled);
                stop.store(true, Ordering::Relaxed);
            }
        }
        if failure.is_some() {
            // Let the threads see the stop and wind down.
            ready.clear();
        }
    }
    match failure {
        Some(err) => Err(err),
        None => Ok((last_end, lines_before)),
    }
}

/// Reads and parses the document from `start` on, on all cores, each thread reading its own
/// pieces with positional reads: the reading (mostly the kernel filling fresh memory) is
/// shared out like the parsing. Pieces are planned at even offsets, each moved on to just
/// after the first record end from there, which every thread finds alike, so the
/// pieces meet without gap or overlap; a piece with no record end in it is empty and the
/// one before it runs on.
pub(super) fn read_in_parallel<P: PieceReader>(
    input: &dyn ReadAt,
    plan: &Plan<'_>,
    parser: &P,
    tally: &mut Tally,
    on_piece: &mut dyn FnMut(Piece) -> bool,
) -> Result<(u64, usize), StreamError> {
    let workers = threads();
    let Plan {
        start,
        max_size,
        home,
        follow,
        detect,
    } = *plan;
    let size = input.size()?.max(start);
    // Rounded up: rounded down, a last piece of a few bytes followed the planned ones.
    let piece = (size - start)
        .div_ceil(workers as u64 * PIECES_PER_THREAD)
        .clamp(SMALLEST_PIECE, LATER_PIECE as u64);
    let pieces = usize::try_from((size - start).div_ceil(piece).max(1)).unwrap_or(usize::MAX);
    let planned = |k: usize| start + k as u64 * piece;
    let stop = AtomicBool::new(false);
    let next_piece = std::sync::atomic::AtomicUsize::new(0);
    let (done_tx, done_rx) = mpsc::sync_channel::<Done>(workers * 2);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (stop, next_piece) = (&stop, &next_piece);
            let mut template = parser.clone();
            scope.spawn(move || {
                yield_to_the_screen();
                // The memory of the piece before, whose text went back to the file.
                let mut spare: Option<Vec<u8>> = None;
                loop {
                    let k = next_piece.fetch_add(1, Ordering::Relaxed);
                    if k >= pieces || stop.load(Ordering::Relaxed) {
                        return;
                    }
                    let last = k + 1 == pieces;
                    let mut from = start;
                    let read = (|| {
                        from = if k == 0 {
                            start
                        } else {
                            cut_after(parser, input, planned(k))?
                        };
                        let to = if last {
                            None
                        } else {
                            Some(cut_after(parser, input, planned(k + 1))?)
                        };
                        // Text rewritten in place must be a heap buffer to become a
                        // `String` without a copy.
                        let fresh = if P::REWRITES || home.is_some() {
                            Buffer::heap
                        } else {
                            Buffer::zeroed
                        };
                        let mut memory = |len: usize| match spare.take() {
                            Some(mut reused) => {
                                // Zeroed only past what was used: the read writes over it.
                                reused.truncate(len);
                                reused.resize(len, 0);
                                Buffer::from(reused)
                            }
                            None => fresh(len),
                        };
                        let (mut bytes, mut end) =
                            read_range(input, from, to, max_size, &mut memory)?;
                        if last && follow {
                            // A record still being written is read once it is whole.
                            let whole = follow::whole_records(&template, bytes.as_slice());
                            bytes.truncate(whole);
                            end = from + whole as u64;
                        }
                        // Input that is no file is kept in a spill file like a pipe's.
                        if let Some(home) = home {
                            home.write(bytes.as_slice(), from)?;
                        }
                        Ok((bytes, end))
                    })();
                    let message = match read {
                        Ok((bytes, end)) => {
                            let place = home.map(|h| (h, from));
                            let (loaded, lines, memory) =
                                parse_anywhere(&mut template, bytes, last, place, detect);
                            spare = memory;
                            match home.and_then(Home::over_cap) {
                                Some(err) => Done::Failed(err),
                                None => Done::Parsed {
                                    seq: k,
                                    loaded: Box::new(loaded),
                                    lines,
                                    bytes_read: end,
                                    last,
                                },
                            }
                        }
                        Err(err) => Done::Failed(err),
                    };
                    if done_tx.send(message).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        deliver_in_order(&done_rx, parser.lines_read(), &stop, tally, on_piece)
    })
}

/// Where the first record after `at` ends (the line `at` falls in does not count,
/// so that a planned offset anywhere in a line gives the same cut); the end of the input
/// when there is none.
pub(super) fn cut_after<P: PieceReader>(
    parser: &P,
    input: &dyn ReadAt,
    at: u64,
) -> Result<u64, StreamError> {
    let mut buf = Vec::new();
    // A review is a few KB, so the cut is nearly always in the first probe; reading more
    // up front cost every piece two large reads into fresh memory.
    let mut probe = 8 * 1024;
    loop {
        let old = buf.len();
        buf.resize(old + probe, 0);
        let got = read_full(input, &mut buf[old..], at + old as u64)?;
        buf.truncate(old + got);
        if let Some(end) = parser.first_record_end(&buf) {
            return Ok(at + end as u64);
        }
        if got == 0 {
            return Ok(at + buf.len() as u64);
        }
        probe = (probe * 2).min(LATER_PIECE);
    }
}

/// Fills `buf` from `at` as far as the input goes; returns how much it got.
pub(super) fn read_full(input: &dyn ReadAt, buf: &mut [u8], at: u64) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match input.read_at(&mut buf[got..], at + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(got)
}

/// The input from `from` to `to`, or to its end, in memory from `zeroed`; and where that
/// is. No more than `max_size` bytes of input are read.
pub(super) fn read_range(
    input: &dyn ReadAt,
    from: u64,
    to: Option<u64>,
    max_size: u64,
    zeroed: &mut dyn FnMut(usize) -> Buffer,
) -> Result<(Buffer, u64), StreamError> {
    let too_large = StreamError::TooLarge { limit: max_size };
    let Some(to) = to else {
        // The last piece: as long as the input is now, and on if it grew meanwhile.
        let end = input.size()?.max(from);
        let (mut bytes, mut at) = read_range(input, from, Some(end), max_size, zeroed)?;
        let mut more = vec![0; SNIFF_BYTES];
        loop {
            let got = read_full(input, &mut more, at)?;
            if got == 0 {
                return Ok((bytes, at));
            }
            bytes.extend_from_slice(&more[..got]);
            at += got as u64;
            if at > max_size {
                return Err(too_large);
            }
        }
    };
    if to > max_size {
        return Err(too_large);
    }
    let len = usize::try_from(to.saturating_sub(from)).map_err(|_| too_large)?;
    let mut bytes = zeroed(len);
    let got = read_full(input, bytes.as_mut_slice(), from)?;
    bytes.truncate(got);
    Ok((bytes, from + got as u64))
}

/// Reads and parses the rest of a document on all cores: one thread reads and cuts pieces,
/// two parse them, and this thread hands them on in order. The reading overlaps the
/// parsing, and on two cores the parsing takes half the time. Gives back where the records
/// read end and the lines before that, as [`read_in_parallel`].
pub(super) fn pipeline<P: PieceReader>(
    reader: &mut (dyn Read + Send),
    carry: Vec<u8>,
    total: u64,
    plan: &Plan<'_>,
    parser: &P,
    tally: &mut Tally,
    on_piece: &mut dyn FnMut(Piece) -> bool,
) -> Result<(u64, usize), StreamError> {
    let workers = threads();
    let stop = AtomicBool::new(false);
    let (job_tx, job_rx) = mpsc::sync_channel::<Job>(workers);
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::sync_channel::<Done>(workers * 2);
    // The memory of pieces whose text went back to the file, for the reader to read the next
    // ones into: fresh memory costs a page fault every 4 KiB.
    let (spare_tx, spare_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(|scope| {
        let stop = &stop;
        let reader_done = done_tx.clone();
        let cutter = parser.clone();
        scope.spawn(move || {
            let queues = (&job_tx, &spare_rx);
            if let Err(err) = read_pieces(&cutter, reader, carry, total, plan, queues, stop) {
                let _ = reader_done.send(Done::Failed(err));
            }
        });
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let spare_tx = spare_tx.clone();
            let job_rx = &job_rx;
            let mut template = parser.clone();
            scope.spawn(move || {
                yield_to_the_screen();
                loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = job else { return };
                    if stop.load(Ordering::Relaxed) {
                        // Keep taking jobs (and dropping them) until the reader stops, so it
                        // never waits on a full queue that nobody empties.
                        continue;
                    }
                    let home = plan.home.map(|h| (h, job.offset));
                    let (loaded, lines, spare) = parse_anywhere(
                        &mut template,
                        job.bytes.into(),
                        job.last,
                        home,
                        plan.detect,
                    );
                    if let Some(spare) = spare {
                        let _ = spare_tx.send(spare);
                    }
                    let parsed = match plan.home.and_then(Home::over_cap) {
                        Some(err) => Done::Failed(err),
                        None => Done::Parsed {
                            seq: job.seq,
                            loaded: Box::new(loaded),
                            lines,
                            bytes_read: job.bytes_read,
                            last: job.last,
                        },
                    };
                    if done_tx.send(parsed).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        deliver_in_order(&done_rx, parser.lines_read(), stop, tally, on_piece)
    })
}

/// The reading thread: reads pieces cut after a record's end and queues them, numbered
/// in order, into the memory of earlier pieces where it comes back on `spares`. Following
/// the file, the last piece ends after the last whole record.
pub(super) fn read_pieces<P: PieceReader>(
    cutter: &P,
    reader: &mut (dyn Read + Send),
    mut buf: Vec<u8>,
    mut total: u64,
    plan: &Plan<'_>,
    (jobs, spares): (&mpsc::SyncSender<Job>, &mpsc::Receiver<Vec<u8>>),
    stop: &AtomicBool,
) -> Result<(), StreamError> {
    let max_size = plan.max_size;
    let mut offset = plan.start;
    let mut seq = 0;
    let mut eof = false;
    let mut size = SECOND_PIECE;
    while !eof {
        if stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        eof = fill(reader, &mut buf, size, &mut total, max_size)?;
        size = (size * 2).min(LATER_PIECE);
        let cut = if eof && plan.follow {
            Some(follow::whole_records(cutter, &buf))
        } else if eof {
            Some(buf.len())
        } else {
            cutter.last_record_end(&buf)
        };
        let Some(cut) = cut else { continue };
        let mut next = spares.try_recv().unwrap_or_default();
        next.clear();
        next.extend_from_slice(&buf[cut..]);
        buf.truncate(cut);
        let bytes = std::mem::replace(&mut buf, next);
        // Written to the spill file here, in order, before any thread parses it.
        if let Some(home) = plan.home {
            home.write(&bytes, offset)?;
        }
        let job = Job {
            seq,
            offset,
            // Where this piece ends: the records after it are not read yet (or, at the end
            // of a file followed, not whole yet).
            bytes_read: offset + bytes.len() as u64,
            last: eof,
            bytes,
        };
        offset += job.bytes.len() as u64;
        if jobs.send(job).is_err() {
            return Ok(());
        }
        seq += 1;
    }
    Ok(())
}
