//! Work the app does in the background while it answers keys: hashing the bodies of new
//! reviews for their duplicates (and the keywords of a view). A job works on what it was
//! given (a clone of the store, which shares its chunks, and the text references it needs),
//! never on the app's document, so the document can grow meanwhile; the terminal loop asks
//! [`App::poll_jobs`] for results. Dropping a job (the files were read again) cancels it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use super::App;

/// A job under way; its result comes once.
pub(super) struct Running<T> {
    rx: mpsc::Receiver<Option<T>>,
    cancel: Arc<AtomicBool>,
    /// How much of the work is done, out of `total`, for a progress line.
    pub(super) done: Arc<AtomicUsize>,
    pub(super) total: usize,
}

impl<T> std::fmt::Debug for Running<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running")
            .field("done", &self.done.load(Ordering::Relaxed))
            .field("total", &self.total)
            .finish_non_exhaustive()
    }
}

/// What a job gives when asked.
pub(super) enum Poll<T> {
    Done(T),
    Pending,
    /// Cancelled, or its thread failed.
    Gone,
}

impl<T: Send + 'static> Running<T> {
    /// Runs `work` on a thread of its own; it is given the cancel flag to watch and the
    /// counter of work done to advance.
    pub(super) fn start(
        total: usize,
        work: impl FnOnce(&AtomicBool, &AtomicUsize) -> Option<T> + Send + 'static,
    ) -> Self {
        let (tx, rx) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let done = Arc::new(AtomicUsize::new(0));
        let (c, d) = (Arc::clone(&cancel), Arc::clone(&done));
        std::thread::spawn(move || {
            let _ = tx.send(work(&c, &d));
        });
        Self {
            rx,
            cancel,
            done,
            total,
        }
    }

    pub(super) fn poll(&self) -> Poll<T> {
        match self.rx.try_recv() {
            Ok(Some(result)) => Poll::Done(result),
            Ok(None) | Err(mpsc::TryRecvError::Disconnected) => Poll::Gone,
            Err(mpsc::TryRecvError::Empty) => Poll::Pending,
        }
    }
}

impl<T> Drop for Running<T> {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

impl App {
    /// Takes in what background jobs finished and starts those now wanted. Returns whether
    /// anything on screen changed.
    pub fn poll_jobs(&mut self) -> bool {
        let mut changed = false;
        if let Some((from, job)) = &self.keys_job {
            match job.poll() {
                Poll::Done(keys) => {
                    let before = self.doc.duplicates().count();
                    self.doc.add_keys(*from, &keys);
                    self.keys_job = None;
                    if self.doc.duplicates().count() != before {
                        changed = true;
                        if self.query.dedupe {
                            self.stale = true;
                        }
                    }
                }
                Poll::Gone => self.keys_job = None,
                Poll::Pending => {}
            }
        }
        // New reviews are hashed once the load is done (hashing them while it runs took
        // the cores the load needs), and a followed file's as they come.
        if self.keys_job.is_none() && self.loading.is_none() {
            let (from, bodies) = self.doc.unkeyed();
            if !bodies.is_empty() {
                let store = self.doc.store().clone();
                let total = bodies.len();
                let job = Running::start(total, move |cancel, _| {
                    crate::model::keys_of(&store, &bodies, cancel)
                });
                self.keys_job = Some((from, job));
            }
        }
        changed |= self.poll_keywords();
        changed
    }

    /// Whether background work is under way: the terminal loop then looks for its results
    /// now and then.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.keys_job.is_some() || self.keywords_busy()
    }

    /// Whether the duplicates are still being counted.
    #[must_use]
    pub fn counting_duplicates(&self) -> bool {
        self.keys_job.is_some()
    }
}
