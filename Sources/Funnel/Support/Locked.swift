#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a pthread mutex, for state that threads share (the JSON
/// Lines pipeline's queue, a C router handle).
///
/// `Synchronization.Mutex` would do the same, but on Linux it waits with
/// futex calls inside the uninstrumented runtime, so ThreadSanitizer sees no
/// order between two threads' accesses under it and reports each as a race
/// (`make tsan-test`); it follows a pthread mutex.
package final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    package init(_ value: Value) {
        self.value = value
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Takes the lock without running anything: for a `pthread_atfork`
    /// prepare handler, which holds it across `fork()` (then ``unlockAfterFork()``
    /// in the parent and the child) so that the child never starts with a lock
    /// another thread held, which nobody there would ever release.
    package func lockForFork() {
        pthread_mutex_lock(mutex)
    }

    /// Releases what ``lockForFork()`` took (in the child, the thread that
    /// forked is the one that holds it).
    package func unlockAfterFork() {
        pthread_mutex_unlock(mutex)
    }

    /// Runs `body` on the value, one thread at a time.
    package func withLock<T, E: Error>(_ body: (inout Value) throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
