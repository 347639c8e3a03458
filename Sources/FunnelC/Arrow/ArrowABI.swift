/// The Arrow C Data Interface's three structs, laid out field for field as
/// funnel.h declares them (https://arrow.apache.org/docs/format/CDataInterface.html):
/// Swift lays out a struct's stored properties in declaration order with C's
/// alignment rules, and these hold only pointers and 64-bit integers.

/// `struct ArrowSchema`.
struct ArrowSchemaC {
    var format: UnsafePointer<CChar>?
    var name: UnsafePointer<CChar>?
    var metadata: UnsafePointer<CChar>?
    var flags: Int64
    var n_children: Int64
    var children: UnsafeMutablePointer<UnsafeMutablePointer<ArrowSchemaC>?>?
    var dictionary: UnsafeMutablePointer<ArrowSchemaC>?
    var release: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?
    var private_data: UnsafeMutableRawPointer?
}

/// `struct ArrowArray`.
struct ArrowArrayC {
    var length: Int64
    var null_count: Int64
    var offset: Int64
    var n_buffers: Int64
    var n_children: Int64
    var buffers: UnsafeMutablePointer<UnsafeRawPointer?>?
    var children: UnsafeMutablePointer<UnsafeMutablePointer<ArrowArrayC>?>?
    var dictionary: UnsafeMutablePointer<ArrowArrayC>?
    var release: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?
    var private_data: UnsafeMutableRawPointer?
}

/// `struct ArrowArrayStream`.
struct ArrowArrayStreamC {
    var get_schema: (@convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32)?
    var get_next: (@convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Int32)?
    var get_last_error: (@convention(c) (UnsafeMutableRawPointer?) -> UnsafePointer<CChar>?)?
    var release: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?
    var private_data: UnsafeMutableRawPointer?
}

/// (Function pointers take raw pointers: a C function type cannot name a Swift struct.)

/// `ARROW_FLAG_NULLABLE`.
let arrowFlagNullable: Int64 = 2

extension ArrowSchemaC {
    /// An empty (released) schema.
    static var released: ArrowSchemaC {
        ArrowSchemaC(
            format: nil, name: nil, metadata: nil, flags: 0, n_children: 0, children: nil, dictionary: nil,
            release: nil, private_data: nil)
    }
}

extension ArrowArrayC {
    /// An empty (released) array.
    static var released: ArrowArrayC {
        ArrowArrayC(
            length: 0, null_count: 0, offset: 0, n_buffers: 0, n_children: 0, buffers: nil, children: nil,
            dictionary: nil, release: nil, private_data: nil)
    }
}

// The layouts the header gives (64-bit platforms): checked once, at load.
let arrowLayoutMatches: Bool =
    MemoryLayout<ArrowSchemaC>.size == 9 * 8 && MemoryLayout<ArrowArrayC>.size == 10 * 8
    && MemoryLayout<ArrowArrayStreamC>.size == 5 * 8 && MemoryLayout<ArrowSchemaC>.offset(of: \.release) == 56
    && MemoryLayout<ArrowArrayC>.offset(of: \.release) == 64 && MemoryLayout<ArrowArrayStreamC>.offset(of: \.release) == 24
