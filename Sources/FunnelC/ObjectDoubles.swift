/// `funnel_doubles_from_objects`: the numbers of an array of pointers to a
/// host's number objects, read in place. A Python list of numbers is an array of
/// pointers to objects that each hold a type pointer and their value at fixed
/// offsets (CPython's float: a double; its int: 30-bit digits and a count);
/// reading them here costs a nanosecond or two a value, where pickling them for
/// `funnel_doubles_from_pickle` costs twenty. The host finds the layout on probe
/// objects and keeps the objects alive during the call; anything else (another
/// type, an int of more than two digits) stops the reading before its value is
/// read, and the host converts the list its own way.
@_cdecl("funnel_doubles_from_objects")
public func funnel_doubles_from_objects(
    _ objects: UnsafePointer<UInt>?, _ count: Int, _ layout: UnsafeRawPointer?,
    _ out: UnsafeMutablePointer<Double>?, _ kinds: UnsafeMutablePointer<UInt32>?
) -> Int32 {
    guarded("funnel_doubles_from_objects") { () throws(Failure) in
        kinds?.pointee = 0
        let objects = try Check.array(objects, count, "objects")
        guard let layout = layout.map(ObjectLayout.init) else { throw Failure(.argument, "layout is NULL") }
        guard layout.version == 1 else { throw Failure(.argument, "layout->version is \(layout.version), not 1") }
        guard layout.typeOffset >= 0, layout.floatOffset >= 0, layout.intSizeOffset >= 0, layout.intDigitsOffset >= 0
        else { throw Failure(.argument, "an offset is too large") }
        guard layout.intForm <= 2 else { throw Failure(.argument, "int_form \(layout.intForm) is not 0, 1 or 2") }
        guard count > 0 else { return }
        guard let out else { throw Failure(.argument, "out is NULL") }
        var found: UInt32 = 0
        for i in 0..<count {
            let object = objects[i]
            if object == layout.none {
                found |= 8
                out[i] = .nan
                continue
            }
            guard let base = UnsafeRawPointer(bitPattern: object) else {
                throw Failure(.argument, "objects[\(i)] is NULL")
            }
            let type = base.loadUnaligned(fromByteOffset: layout.typeOffset, as: UInt.self)
            if type == layout.floatType {
                let value = base.loadUnaligned(fromByteOffset: layout.floatOffset, as: Double.self)
                found |= value.isFinite ? 1 : 1 | 16
                out[i] = value
            } else if type == layout.intType, layout.intForm != 0, let value = integer(base, layout) {
                found |= 2
                out[i] = Double(value)
            } else {
                throw Failure(.argument, "objects[\(i)] is neither a float, an int of at most 60 bits nor None")
            }
        }
        kinds?.pointee = found
    }
}

/// `funnel_uint32_from_objects`: the values of an array of pointers to a host's
/// int objects, each from 0 to 2**32 - 1, read in place as `layout` says: a Python
/// list of lead indices (`funnel_batch_set_events`'s `event_lead`) without an
/// `array('I', list)` parse of each value.
@_cdecl("funnel_uint32_from_objects")
public func funnel_uint32_from_objects(
    _ objects: UnsafePointer<UInt>?, _ count: Int, _ layout: UnsafeRawPointer?, _ out: UnsafeMutablePointer<UInt32>?
) -> Int32 {
    guarded("funnel_uint32_from_objects") { () throws(Failure) in
        let objects = try Check.array(objects, count, "objects")
        guard let layout = layout.map(ObjectLayout.init) else { throw Failure(.argument, "layout is NULL") }
        guard layout.version == 1 else { throw Failure(.argument, "layout->version is \(layout.version), not 1") }
        guard layout.typeOffset >= 0, layout.intSizeOffset >= 0, layout.intDigitsOffset >= 0 else {
            throw Failure(.argument, "an offset is too large")
        }
        guard layout.intForm == 1 || layout.intForm == 2 else {
            throw Failure(.argument, "int_form \(layout.intForm) is not 1 or 2")
        }
        guard count > 0 else { return }
        guard let out else { throw Failure(.argument, "out is NULL") }
        for i in 0..<count {
            guard let base = UnsafeRawPointer(bitPattern: objects[i]),
                base.loadUnaligned(fromByteOffset: layout.typeOffset, as: UInt.self) == layout.intType,
                let value = integer(base, layout), let index = UInt32(exactly: value)
            else {
                throw Failure(.argument, "objects[\(i)] is not an int from 0 to 2**32 - 1")
            }
            out[i] = index
        }
    }
}

/// An int object's value when it has at most two 30-bit digits.
@inline(__always)
private func integer(_ base: UnsafeRawPointer, _ layout: ObjectLayout) -> Int64? {
    guard
        let (magnitude, negative) = CPythonInt.read(
            base, intForm: layout.intForm, sizeOffset: layout.intSizeOffset, digitsOffset: layout.intDigitsOffset)
    else { return nil }
    return negative ? -Int64(magnitude) : Int64(magnitude)
}

/// A `funnel_object_layout`, read field by field at the C struct's offsets (two
/// `unsigned`, then pointer-sized fields).
struct ObjectLayout {
    let version: UInt32
    let intForm: UInt32
    let none: UInt
    let floatType: UInt
    let intType: UInt
    let typeOffset: Int
    let floatOffset: Int
    let intSizeOffset: Int
    let intDigitsOffset: Int

    init(_ raw: UnsafeRawPointer) {
        let word = MemoryLayout<UInt>.stride
        func field(_ k: Int) -> UInt { raw.loadUnaligned(fromByteOffset: 8 + k * word, as: UInt.self) }
        version = raw.loadUnaligned(as: UInt32.self)
        intForm = raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        none = field(0)
        floatType = field(1)
        intType = field(2)
        typeOffset = Int(bitPattern: field(3))
        floatOffset = Int(bitPattern: field(4))
        intSizeOffset = Int(bitPattern: field(5))
        intDigitsOffset = Int(bitPattern: field(6))
    }
}
