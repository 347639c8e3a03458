import Funnel

/// Checking what C hands us, before anything else reads it.
enum Check {
    /// The bytes at (pointer, length); NULL or a negative length (a huge size_t) is refused.
    static func bytes(_ pointer: UnsafePointer<CChar>?, _ length: Int, _ name: String) throws(Failure)
        -> UnsafeRawBufferPointer
    {
        guard let pointer else { throw Failure(.argument, "\(name) is NULL") }
        guard length >= 0 else { throw Failure(.argument, "\(name) length is too large") }
        return UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: length)
    }

    /// A NUL-terminated UTF-8 string. NULL is FUNNEL_E_ARGUMENT; invalid UTF-8
    /// is FUNNEL_E_PARSE, as for every other text (SPEC §8).
    static func string(_ pointer: UnsafePointer<CChar>?, _ name: String) throws(Failure) -> String {
        guard let pointer else { throw Failure(.argument, "\(name) is NULL") }
        guard let text = String(validatingCString: pointer) else {
            throw Failure(.parse, "\(name) is not valid UTF-8")
        }
        return text
    }

    /// An optional NUL-terminated UTF-8 string.
    static func optionalString(_ pointer: UnsafePointer<CChar>?, _ name: String) throws(Failure) -> String? {
        guard pointer != nil else { return nil }
        return try string(pointer, name)
    }

    /// An out-pointer, cleared so that it is NULL on every failure.
    static func out<T>(_ pointer: UnsafeMutablePointer<T?>?, _ name: String) throws(Failure) -> UnsafeMutablePointer<T?> {
        guard let pointer else { throw Failure(.argument, "\(name) is NULL") }
        pointer.pointee = nil
        return pointer
    }

    /// A finite instant.
    static func instant(_ asOf: Double) throws(Failure) -> Double {
        guard asOf.isFinite else { throw Failure(.argument, "as_of must be a finite number of seconds") }
        return asOf
    }

    /// `count` elements at `pointer`; NULL is allowed only for an empty array.
    static func array<T>(_ pointer: UnsafePointer<T>?, _ count: Int, _ name: String) throws(Failure)
        -> UnsafeBufferPointer<T>
    {
        guard count >= 0 else { throw Failure(.argument, "\(name): count is too large") }
        guard let pointer else {
            if count == 0 { return UnsafeBufferPointer(start: nil, count: 0) }
            throw Failure(.argument, "\(name) is NULL")
        }
        return UnsafeBufferPointer(start: pointer, count: count)
    }

    /// A dictionary of `count` NUL-terminated UTF-8 strings.
    static func dictionary(_ pointer: UnsafePointer<UnsafePointer<CChar>?>?, _ count: Int, _ name: String)
        throws(Failure) -> [String]
    {
        let entries = try array(pointer, count, name)
        var out: [String] = []
        out.reserveCapacity(count)
        for (i, entry) in entries.enumerated() {
            out.append(try string(entry, "\(name)[\(i)]"))
        }
        return out
    }
}

/// Hands a library-owned result to C as a malloc'ed string.
func deliver(_ bytes: [UInt8], to out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) throws(Failure) {
    guard let text = makeCString(bytes: bytes) else { throw Failure(.limit, "out of memory for the result") }
    out.pointee = text
}

/// Delivers result lines as one malloc'd C string.
func deliver(pieces output: JSONLinesResults.Output, to out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>)
    throws(Failure)
{
    guard let text = makeCString(pieces: output) else { throw Failure(.limit, "out of memory for the result") }
    out.pointee = text
}
