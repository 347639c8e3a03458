/// Which names a run of pickled results has already put in the memo (and
/// whether the result class is there), for one thread writing one run at a
/// time: each name's first use writes its str and a `PUT`, later ones a `GET`.
///
/// A class whose flags are read and set through a pointer: the writer keeps
/// no array of its own to check for uniqueness per name written.
final class ResultPickleMemo {
    /// The opcodes it writes (kept alive with it).
    let names: ResultPickleNames
    /// `names.view`, fetched once (a writer copies it once a lead, not once a name).
    let view: ResultPickleNames.View
    /// `view`'s pointers and the spans it writes, kept apart so that writing
    /// a name reads two words instead of copying the whole view.
    private let bytes: UnsafePointer<UInt8>
    private let spans: UnsafePointer<ResultNames.Span>
    private let count: Int
    private let openFirst: Int
    private let openAgain: Int
    /// Per memo index (the names, then the class): whether it is in the memo.
    private let put: UnsafeMutablePointer<Bool>

    init(_ names: ResultPickleNames) {
        self.names = names
        view = names.view
        (bytes, spans, count) = (view.bytes, view.spans, view.count)
        (openFirst, openAgain) = (view.openFirst, view.openAgain)
        put = .allocate(capacity: view.count + 1)
        put.initialize(repeating: false, count: view.count + 1)
    }

    deinit { put.deallocate() }

    /// Forgets every name (a new run of results, whose memo starts afresh).
    func reset() {
        put.update(repeating: false, count: count + 1)
    }

    @inline(__always)
    private func write(_ k: Int, _ w: inout ByteWriter) {
        let span = spans[k]
        w.raw(bytes + span.offset, count: span.count)
    }

    /// Pushes a result's empty dict: `EMPTY_DICT`, or the class (put in the
    /// memo the first time) called with no arguments (`NEWOBJ`).
    @inline(__always)
    func openResult(_ w: inout ByteWriter) {
        if put[count] {
            write(openAgain, &w)
        } else {
            put[count] = true
            write(openFirst, &w)
        }
    }

    /// Writes name k: a memo reference once it is in the memo, else the str and a `PUT`.
    @inline(__always)
    func name(_ k: Int, _ w: inout ByteWriter) {
        if put[k] {
            if k < 256 {
                w.bytes(0x68, UInt8(truncatingIfNeeded: k))  // BINGET, as span `count + k` holds it
            } else {
                write(count &+ k, &w)
            }
        } else {
            put[k] = true
            write(k, &w)
        }
    }
}
