/// `funnel_doubles_from_objects`: the numbers of an array of pointers to a
/// host's number objects, read in place. A Python list of floats is an array of
/// pointers to objects that each hold a type pointer and a double at fixed
/// offsets (CPython's float); reading them here costs a nanosecond or two a
/// value, where pickling them for `funnel_doubles_from_pickle` costs twenty.
/// The host finds the offsets on a probe object and keeps the objects alive
/// during the call; anything but `none` or an object of `floatType` stops the
/// reading before its value is read, and the host converts the list its own way.
@_cdecl("funnel_doubles_from_objects")
public func funnel_doubles_from_objects(
    _ objects: UnsafePointer<UInt>?, _ count: Int, _ none: UInt, _ floatType: UInt, _ typeOffset: Int,
    _ valueOffset: Int, _ out: UnsafeMutablePointer<Double>?, _ kinds: UnsafeMutablePointer<UInt32>?
) -> Int32 {
    guarded("funnel_doubles_from_objects") { () throws(Failure) in
        kinds?.pointee = 0
        let objects = try Check.array(objects, count, "objects")
        guard typeOffset >= 0, valueOffset >= 0 else { throw Failure(.argument, "an offset is negative") }
        guard count > 0 else { return }
        guard let out else { throw Failure(.argument, "out is NULL") }
        var found: UInt32 = 0
        for i in 0..<count {
            let object = objects[i]
            if object == none {
                found |= 8
                out[i] = .nan
                continue
            }
            guard object != 0,
                let base = UnsafeRawPointer(bitPattern: object),
                base.loadUnaligned(fromByteOffset: typeOffset, as: UInt.self) == floatType
            else {
                throw Failure(.argument, "objects[\(i)] is neither a float nor None")
            }
            let value = base.loadUnaligned(fromByteOffset: valueOffset, as: Double.self)
            found |= value.isFinite ? 1 : 1 | 16
            out[i] = value
        }
        kinds?.pointee = found
    }
}
