//! Threads of the store's own, started so that no signal is ever delivered
//! to them: inside PHP, signals such as the `SIGPROF` of
//! `max_execution_time` must reach PHP's thread, whose handlers assume they
//! run on it.

#![allow(unsafe_code)]

use std::io;
use std::thread::{self, JoinHandle};

/// Starts `work` on a thread named `name` that blocks every signal.
///
/// The calling thread blocks all signals for the moment of the spawn, so the
/// new thread inherits a full mask from its first instruction, then gets its
/// own mask back.
///
/// # Errors
/// When the operating system refuses a thread.
pub fn spawn(name: &str, work: impl FnOnce() + Send + 'static) -> io::Result<JoinHandle<()>> {
    let builder = thread::Builder::new().name(name.to_owned());
    let _blocked = BlockedSignals::new();
    builder.spawn(work)
}

/// The calling thread's signal mask with every signal blocked, until dropped.
#[cfg(unix)]
struct BlockedSignals {
    previous: libc::sigset_t,
}

#[cfg(unix)]
impl BlockedSignals {
    fn new() -> Self {
        // SAFETY: `sigfillset` and `pthread_sigmask` only write the sets
        // passed to them, both valid, initialised (zeroed) locals; neither
        // can fail with these arguments (SIG_BLOCK is a valid `how`).
        unsafe {
            let mut all: libc::sigset_t = std::mem::zeroed();
            let mut previous: libc::sigset_t = std::mem::zeroed();
            libc::sigfillset(&raw mut all);
            libc::pthread_sigmask(libc::SIG_BLOCK, &raw const all, &raw mut previous);
            Self { previous }
        }
    }
}

#[cfg(unix)]
impl Drop for BlockedSignals {
    fn drop(&mut self) {
        // SAFETY: restores the mask that `new` saved, on the same thread: the
        // guard is a local of `spawn` and never leaves it.
        unsafe {
            libc::pthread_sigmask(
                libc::SIG_SETMASK,
                &raw const self.previous,
                std::ptr::null_mut(),
            );
        }
    }
}

/// Elsewhere, threads are spawned as they are.
#[cfg(not(unix))]
struct BlockedSignals;

#[cfg(not(unix))]
impl BlockedSignals {
    fn new() -> Self {
        Self
    }
}

#[cfg(test)]
#[cfg(target_os = "linux")]
mod tests {
    use super::spawn;

    /// The signals a thread blocks, from the kernel's view of it.
    fn blocked() -> u64 {
        let status = std::fs::read_to_string("/proc/thread-self/status").unwrap();
        let line = status
            .lines()
            .find_map(|line| line.strip_prefix("SigBlk:"))
            .unwrap();
        u64::from_str_radix(line.trim(), 16).unwrap()
    }

    fn bit(signal: libc::c_int) -> u64 {
        1 << (signal - 1)
    }

    #[test]
    fn the_thread_blocks_every_signal_and_its_parent_keeps_its_own() {
        let before = blocked();
        let (tx, rx) = std::sync::mpsc::channel();
        spawn("test", move || tx.send(blocked()).unwrap())
            .unwrap()
            .join()
            .unwrap();
        let mask = rx.recv().unwrap();
        for signal in [
            libc::SIGPROF,
            libc::SIGALRM,
            libc::SIGTERM,
            libc::SIGINT,
            libc::SIGUSR1,
            libc::SIGCHLD,
        ] {
            assert_ne!(mask & bit(signal), 0, "signal {signal} is not blocked");
        }
        assert_eq!(blocked(), before);
    }
}
