//! The thread pool: coverage of every index exactly once, inline execution for small work,
//! deterministic chunking, nested calls, panics propagated to the caller.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use tf_runtime::pool::threads_from_env;
use tf_runtime::Pool;

#[test]
fn every_index_is_visited_once() {
    for threads in [1, 2, 3] {
        let pool = Pool::new(threads);
        for (len, min_chunk) in [(0, 1), (1, 1), (7, 1), (1000, 10), (1001, 1)] {
            let hits: Vec<AtomicUsize> = (0..len).map(|_| AtomicUsize::new(0)).collect();
            pool.parallel_for(0..len, min_chunk, |r| {
                for i in r {
                    hits[i].fetch_add(1, Ordering::Relaxed);
                }
            });
            assert!(hits.iter().all(|h| h.load(Ordering::Relaxed) == 1), "threads {threads} len {len}");
        }
        // A range not starting at 0.
        let sum = AtomicUsize::new(0);
        pool.parallel_for(10..20, 1, |r| {
            sum.fetch_add(r.sum::<usize>(), Ordering::Relaxed);
        });
        assert_eq!(sum.into_inner(), (10..20).sum::<usize>());
    }
}

#[test]
fn small_work_runs_inline_on_the_caller() {
    let pool = Pool::new(2);
    let me = std::thread::current().id();
    let ids = Mutex::new(Vec::new());
    pool.parallel_for(0..100, 64, |_| ids.lock().unwrap().push(std::thread::current().id()));
    assert_eq!(*ids.lock().unwrap(), vec![me], "100 < 2 * 64: one chunk, on the caller");
    assert_eq!(pool.chunk_count(100, 64), 1);
    assert_eq!(pool.chunk_count(128, 64), 2);
    assert_eq!(pool.chunk_count(1_000_000, 1), 2);
}

#[test]
fn chunked_reductions_are_deterministic() {
    let data: Vec<f32> = (0..100_000).map(|i| ((i * 7919) % 1000) as f32 * 1e-3 + 1e-7).collect();
    let pool = Pool::new(2);
    let sum = || -> f32 { pool.map_chunks(0..data.len(), 1000, |r| data[r].iter().sum::<f32>()).iter().sum() };
    let first = sum();
    for _ in 0..20 {
        assert_eq!(sum().to_bits(), first.to_bits());
    }
    // Chunk results come back in chunk order.
    let starts = pool.map_chunks(0..10, 1, |r| r.start);
    assert_eq!(starts, vec![0, 5]);
}

#[test]
fn nested_calls_run_inline_without_deadlock() {
    let pool = Pool::new(2);
    let count = AtomicUsize::new(0);
    pool.parallel_for(0..4, 1, |outer| {
        for _ in outer {
            pool.parallel_for(0..100, 1, |inner| {
                count.fetch_add(inner.len(), Ordering::Relaxed);
            });
        }
    });
    assert_eq!(count.into_inner(), 400);
}

#[test]
fn a_panicking_chunk_is_reraised_after_all_chunks_finish() {
    let pool = Pool::new(2);
    let done = AtomicUsize::new(0);
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pool.parallel_for(0..2, 1, |r| {
            if r.start == 1 {
                panic!("chunk 1 fails");
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
            done.fetch_add(1, Ordering::SeqCst);
        })
    }));
    assert!(r.is_err());
    assert_eq!(done.load(Ordering::SeqCst), 1, "chunk 0 completed before the panic surfaced");
    // The pool still works afterwards.
    let n = AtomicUsize::new(0);
    pool.parallel_for(0..10, 1, |r| {
        n.fetch_add(r.len(), Ordering::Relaxed);
    });
    assert_eq!(n.into_inner(), 10);
}

#[test]
fn thread_count_from_environment_value() {
    assert_eq!(threads_from_env(Some("3")), 3);
    assert_eq!(threads_from_env(Some(" 1 ")), 1);
    let default = threads_from_env(None);
    assert!(default >= 1);
    assert_eq!(threads_from_env(Some("0")), default);
    assert_eq!(threads_from_env(Some("many")), default);
    assert_eq!(Pool::new(0).threads(), 1);
}
