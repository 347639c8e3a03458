import Testing

@testable import Funnel

/// ``Column``'s bulk appends and truncation, and `Array.empty()`: the same
/// elements as the plain ways, copies left alone (copy on write).
@Suite struct ColumnTests {
    @Test func appendRepeatingIsAppendContentsOfRepeatElement() {
        for start in [0, 1, 15, 16, 40] {
            for n in [-1, 0, 1, 2, 16, 17, 100] {
                var column = Column<Int32>((0..<start).map { Int32($0) })
                var plain = Array(column)
                let copy = column
                column.append(repeating: -7, count: n)
                plain.append(contentsOf: repeatElement(-7, count: max(n, 0)))
                #expect(Array(column) == plain, "\(start) + \(n)")
                #expect(Array(copy) == (0..<start).map { Int32($0) }, "the copy is unchanged")
            }
        }
    }

    @Test func removeLastToCountLeavesCopiesAlone() {
        for n in [-1, 0, 1, 5, 9, 10, 11] {
            var column = Column<Double>((0..<10).map { Double($0) })
            let copy = column
            column.removeLast(toCount: n)
            #expect(Array(column) == (0..<max(0, min(n, 10))).map { Double($0) }, "\(n)")
            #expect(Array(copy) == (0..<10).map { Double($0) })
            column.append(42)
            #expect(copy.count == 10 && copy[copy.count - 1] == 9)
        }
    }

    @Test func emptyingArraysKeepsTheirMemoryAndCopies() {
        for n in [0, 1, 4, 5, 100] {
            var strings = (0..<n).map { "s\($0)" }
            strings.reserveCapacity(200)
            let copy = strings
            strings.empty()
            #expect(strings.isEmpty && copy.count == n)
            var numbers = [Int32](repeating: 3, count: n)
            numbers.reserveCapacity(200)
            let capacity = numbers.capacity
            numbers.empty()
            #expect(numbers.isEmpty && numbers.capacity == capacity, "\(n)")
        }
    }
}
