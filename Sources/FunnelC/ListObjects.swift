/// A host's list object read in place: `funnel_doubles_from_list`,
/// `funnel_uint32_from_list` and `funnel_pointer_codes_list` are
/// `funnel_doubles_from_objects`, `funnel_uint32_from_objects` and
/// `funnel_pointer_codes` on a Python list's own item pointers. A tuple keeps its
/// items inline and immutable, a list behind a pointer that moves when it grows:
/// copying a list of two million values into a tuple (a reference count touched
/// per item) costs more than reading them. The host calls these with its
/// interpreter lock held (ctypes.PyDLL), so that the list cannot change during
/// the call; the item count is checked against `count`, which the host sized
/// `out` for.

/// The item pointers of `list`, an exact list of `count` items as `layout` says.
private func listItems(_ list: UnsafeRawPointer?, _ count: Int, _ layout: UnsafeRawPointer?) throws(Failure)
    -> UnsafePointer<UInt>?
{
    guard let list else { throw Failure(.argument, "list is NULL") }
    guard let layout = layout.map(ListLayout.init) else { throw Failure(.argument, "list_layout is NULL") }
    guard layout.version == 1 else {
        throw Failure(.argument, "list_layout->version is \(layout.version), not 1")
    }
    guard layout.typeOffset >= 0, layout.sizeOffset >= 0, layout.itemsOffset >= 0 else {
        throw Failure(.argument, "an offset is too large")
    }
    guard count >= 0 else { throw Failure(.argument, "count is too large") }
    guard list.loadUnaligned(fromByteOffset: layout.typeOffset, as: UInt.self) == layout.listType else {
        throw Failure(.argument, "list is not a list")
    }
    let size = list.loadUnaligned(fromByteOffset: layout.sizeOffset, as: Int.self)
    guard size == count else { throw Failure(.argument, "list holds \(size) items, not \(count)") }
    let items = list.loadUnaligned(fromByteOffset: layout.itemsOffset, as: UInt.self)
    guard count == 0 || items != 0 else { throw Failure(.argument, "list has no items") }
    return UnsafePointer(bitPattern: items)
}

/// `funnel_doubles_from_objects` on the items of a list (see the file's comment).
@_cdecl("funnel_doubles_from_list")
public func funnel_doubles_from_list(
    _ list: UnsafeRawPointer?, _ count: Int, _ listLayout: UnsafeRawPointer?, _ layout: UnsafeRawPointer?,
    _ out: UnsafeMutablePointer<Double>?, _ kinds: UnsafeMutablePointer<UInt32>?
) -> Int32 {
    var items: UnsafePointer<UInt>?
    let status = guarded("funnel_doubles_from_list") { () throws(Failure) in
        kinds?.pointee = 0
        items = try listItems(list, count, listLayout)
    }
    guard status == Status.ok.rawValue else { return status }
    return funnel_doubles_from_objects(items, count, layout, out, kinds)
}

/// `funnel_uint32_from_objects` on the items of a list (see the file's comment).
@_cdecl("funnel_uint32_from_list")
public func funnel_uint32_from_list(
    _ list: UnsafeRawPointer?, _ count: Int, _ listLayout: UnsafeRawPointer?, _ layout: UnsafeRawPointer?,
    _ out: UnsafeMutablePointer<UInt32>?
) -> Int32 {
    var items: UnsafePointer<UInt>?
    let status = guarded("funnel_uint32_from_list") { () throws(Failure) in
        items = try listItems(list, count, listLayout)
    }
    guard status == Status.ok.rawValue else { return status }
    return funnel_uint32_from_objects(items, count, layout, out)
}

/// `funnel_pointer_codes` on the items of a list (see the file's comment).
@_cdecl("funnel_pointer_codes_list")
public func funnel_pointer_codes_list(
    _ list: UnsafeRawPointer?, _ count: Int, _ listLayout: UnsafeRawPointer?, _ codes: UnsafeMutablePointer<Int32>?,
    _ missing: UInt, _ firsts: UnsafeMutablePointer<Int>?, _ capacity: Int, _ distinct: UnsafeMutablePointer<Int>?
) -> Int32 {
    var items: UnsafePointer<UInt>?
    let status = guarded("funnel_pointer_codes_list") { () throws(Failure) in
        distinct?.pointee = 0
        items = try listItems(list, count, listLayout)
    }
    guard status == Status.ok.rawValue else { return status }
    return funnel_pointer_codes(items, count, codes, missing, firsts, capacity, distinct)
}

/// A `funnel_list_layout`, read field by field at the C struct's offsets (an
/// `unsigned`, then pointer-sized fields).
struct ListLayout {
    let version: UInt32
    let listType: UInt
    let typeOffset: Int
    let sizeOffset: Int
    let itemsOffset: Int

    init(_ raw: UnsafeRawPointer) {
        let word = MemoryLayout<UInt>.stride
        func field(_ k: Int) -> UInt { raw.loadUnaligned(fromByteOffset: word + k * word, as: UInt.self) }
        version = raw.loadUnaligned(as: UInt32.self)
        listType = field(0)
        typeOffset = Int(bitPattern: field(1))
        sizeOffset = Int(bitPattern: field(2))
        itemsOffset = Int(bitPattern: field(3))
    }
}
