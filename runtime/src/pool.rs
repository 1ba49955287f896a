//! A small fixed thread pool (std only) for data-parallel loops over index ranges.
//!
//! `parallel_for` splits a range into at most `threads` contiguous chunks, runs chunk 0 on the
//! calling thread and the rest on workers, and returns when all are done, so the closure may
//! borrow from the caller's stack. Work smaller than `min_chunk` per thread runs inline: tiny
//! tensors never pay for a thread wake-up. Chunk boundaries depend only on the range, `min_chunk`
//! and the thread count, so per-chunk partial results (`map_chunks`) combined in chunk order give
//! the same reduction on every run with the same thread count.
//!
//! Nested calls (a parallel body that itself calls `parallel_for`) run inline, which keeps the
//! pool deadlock-free without work stealing.

use std::any::Any;
use std::cell::Cell;
use std::collections::VecDeque;
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use std::thread::JoinHandle;

/// One chunk of one job, queued for a worker.
struct Task {
    /// The job's body. Points into the stack frame of the `run` call that queued it, which does
    /// not return before `latch` reaches zero, i.e. before every task has finished using it.
    body: *const (dyn Fn(usize) + Sync),
    chunk: usize,
    latch: Arc<Latch>,
}

// SAFETY: `body` is only dereferenced while the owning `run` call waits (see Task::body), and the
// closure is Sync, so calling it from another thread is allowed.
unsafe impl Send for Task {}

/// Counts a job's outstanding chunks and keeps the first panic to re-raise in the caller.
struct Latch {
    remaining: Mutex<usize>,
    done: Condvar,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

struct Queue {
    tasks: VecDeque<Task>,
    shutdown: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    ready: Condvar,
}

/// Locks ignoring poison: every critical section here leaves the data consistent, and user panics
/// are caught before they can poison anything.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

thread_local! {
    /// True on pool workers and on a caller while it runs its own chunk: nested calls run inline.
    static IN_PARALLEL: Cell<bool> = const { Cell::new(false) };
}

/// A fixed set of worker threads. `threads()` counts the caller, which always takes a chunk.
pub struct Pool {
    shared: Arc<Shared>,
    threads: usize,
    workers: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pool({} threads)", self.threads)
    }
}

impl Pool {
    /// A pool that runs work on `threads` threads (the caller plus `threads - 1` workers).
    /// `0` is treated as `1`. If the OS refuses a thread, the pool runs with fewer.
    pub fn new(threads: usize) -> Pool {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue { tasks: VecDeque::new(), shutdown: false }),
            ready: Condvar::new(),
        });
        let mut workers = Vec::new();
        for i in 1..threads.max(1) {
            let s = Arc::clone(&shared);
            match std::thread::Builder::new().name(format!("tf-rt-{i}")).spawn(move || worker(&s)) {
                Ok(h) => workers.push(h),
                Err(_) => break,
            }
        }
        Pool { shared, threads: workers.len() + 1, workers }
    }

    /// The process-wide pool, sized by `TFC_THREADS` (a positive integer) or else by the number
    /// of available cores. Created on first use.
    pub fn global() -> &'static Pool {
        static GLOBAL: OnceLock<Pool> = OnceLock::new();
        GLOBAL.get_or_init(|| Pool::new(threads_from_env(std::env::var("TFC_THREADS").ok().as_deref())))
    }

    /// Threads that share the work, the caller included.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// How many chunks `parallel_for` cuts a range of `len` items into: at most one per thread,
    /// and no chunk smaller than `min_chunk` (so 1 when the work is small).
    pub fn chunk_count(&self, len: usize, min_chunk: usize) -> usize {
        (len / min_chunk.max(1)).clamp(1, self.threads)
    }

    /// Calls `f` on disjoint contiguous sub-ranges covering `range`, in parallel when the range
    /// holds at least `2 * min_chunk` items. A panic in `f` is re-raised here after all chunks end.
    pub fn parallel_for<F: Fn(Range<usize>) + Sync>(&self, range: Range<usize>, min_chunk: usize, f: F) {
        let len = range.end.saturating_sub(range.start);
        let chunks = self.chunk_count(len, min_chunk);
        self.run(chunks, &|c| f(chunk_range(&range, chunks, c)));
    }

    /// Like `parallel_for`, returning each chunk's result in chunk order. Combining them in that
    /// order gives reductions that are identical on every run with the same thread count.
    pub fn map_chunks<T: Send, F: Fn(Range<usize>) -> T + Sync>(
        &self,
        range: Range<usize>,
        min_chunk: usize,
        f: F,
    ) -> Vec<T> {
        let len = range.end.saturating_sub(range.start);
        let chunks = self.chunk_count(len, min_chunk);
        let slots: Vec<Mutex<Option<T>>> = (0..chunks).map(|_| Mutex::new(None)).collect();
        self.run(chunks, &|c| *lock(&slots[c]) = Some(f(chunk_range(&range, chunks, c))));
        slots.into_iter().filter_map(|s| s.into_inner().unwrap_or_else(PoisonError::into_inner)).collect()
    }

    /// Runs `body(0..chunks)`: chunk 0 here, the others on workers; inline when nested or serial.
    pub fn run(&self, chunks: usize, body: &(dyn Fn(usize) + Sync)) {
        if chunks <= 1 || self.workers.is_empty() || IN_PARALLEL.with(Cell::get) {
            (0..chunks).for_each(body);
            return;
        }
        let latch =
            Arc::new(Latch { remaining: Mutex::new(chunks - 1), done: Condvar::new(), panic: Mutex::new(None) });
        // SAFETY: erases the borrow's lifetime so tasks can carry it; this function does not
        // return (even by unwinding: the own chunk is run under catch_unwind) until every task has
        // signalled the latch, after which no task touches `body` again.
        let erased: *const (dyn Fn(usize) + Sync) = unsafe { std::mem::transmute(body) };
        {
            let mut q = lock(&self.shared.queue);
            for c in 1..chunks {
                q.tasks.push_back(Task { body: erased, chunk: c, latch: Arc::clone(&latch) });
            }
        }
        self.shared.ready.notify_all();
        IN_PARALLEL.with(|p| p.set(true));
        let own = panic::catch_unwind(AssertUnwindSafe(|| body(0)));
        IN_PARALLEL.with(|p| p.set(false));
        let mut remaining = lock(&latch.remaining);
        while *remaining > 0 {
            remaining = latch.done.wait(remaining).unwrap_or_else(PoisonError::into_inner);
        }
        drop(remaining);
        if let Err(p) = own {
            panic::resume_unwind(p);
        }
        let worker_panic = lock(&latch.panic).take();
        if let Some(p) = worker_panic {
            panic::resume_unwind(p);
        }
    }
}

impl Drop for Pool {
    fn drop(&mut self) {
        lock(&self.shared.queue).shutdown = true;
        self.shared.ready.notify_all();
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

fn worker(shared: &Shared) {
    IN_PARALLEL.with(|p| p.set(true));
    loop {
        let task = {
            let mut q = lock(&shared.queue);
            loop {
                if let Some(t) = q.tasks.pop_front() {
                    break t;
                }
                if q.shutdown {
                    return;
                }
                q = shared.ready.wait(q).unwrap_or_else(PoisonError::into_inner);
            }
        };
        // SAFETY: the queuing `run` call is still waiting on this task's latch (see Task::body).
        let body = unsafe { &*task.body };
        if let Err(p) = panic::catch_unwind(AssertUnwindSafe(|| body(task.chunk))) {
            lock(&task.latch.panic).get_or_insert(p);
        }
        let mut remaining = lock(&task.latch.remaining);
        *remaining -= 1;
        if *remaining == 0 {
            task.latch.done.notify_all();
        }
    }
}

/// Chunk `c` of `chunks` nearly equal contiguous parts of `range` (the first ones shorter).
fn chunk_range(range: &Range<usize>, chunks: usize, c: usize) -> Range<usize> {
    let len = range.end.saturating_sub(range.start);
    // u128 so len * c cannot overflow.
    let at = |i: usize| range.start + ((len as u128 * i as u128) / chunks as u128) as usize;
    at(c)..at(c + 1)
}

/// The thread count for a `TFC_THREADS` value: a positive integer, or else the available cores.
pub fn threads_from_env(value: Option<&str>) -> usize {
    value
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
