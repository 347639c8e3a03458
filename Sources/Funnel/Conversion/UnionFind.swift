/// Disjoint sets over `0..<n` with union by size and path halving: nearly
/// constant time per operation, so grouping a million leads that share one
/// phone is a million cheap steps, never a comparison of every pair.
struct UnionFind {
    private var parent: [Int32]
    private var size: [Int32]

    init(count: Int) {
        parent = (0..<Int32(truncatingIfNeeded: count)).map { $0 }
        size = [Int32](repeating: 1, count: count)
    }

    mutating func find(_ x: Int32) -> Int32 {
        var x = x
        while parent[Int(x)] != x {
            let grand = parent[Int(parent[Int(x)])]
            parent[Int(x)] = grand
            x = grand
        }
        return x
    }

    /// The size of the set whose root is `root`.
    func size(of root: Int32) -> Int { Int(size[Int(root)]) }

    mutating func union(_ a: Int32, _ b: Int32) {
        var ra = find(a)
        var rb = find(b)
        if ra == rb { return }
        if size[Int(ra)] < size[Int(rb)] { swap(&ra, &rb) }
        parent[Int(rb)] = ra
        size[Int(ra)] += size[Int(rb)]
    }
}
