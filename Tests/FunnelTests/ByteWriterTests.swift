import Testing

@testable import Funnel
import FunnelTestSupport

/// ``ByteWriter`` writes what ``JSONWriter`` writes for the same calls:
/// results are written by the first and compared against the second.
@Suite struct ByteWriterTests {
    /// Numbers of every kind, random bit patterns included, give the text
    /// `JSONWriter.writeNumber` gives (`description`, integers without `.0`).
    @Test func numbersAreWrittenAsJSONWriterWritesThem() {
        var rng = SplitMix64(seed: 0xB17E_0001)
        var values: [Double] = [
            0, -0.0, 1, -1, 0.1, 1e-5, 1e-4, 1.5e20, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude,
            -.greatestFiniteMagnitude, .leastNormalMagnitude, 9_007_199_254_740_992, 9_007_199_254_740_994,
            1e16, 1e15 + 0.5, 123_456_789_012_345_680, .nan, .infinity, -.infinity, 2.5, 1 / 3,
        ]
        for k in 0..<200_000 {
            let bits = rng.next()
            switch k % 4 {
            case 0: values.append(Double(bitPattern: bits))
            case 1: values.append(Double(Int64(bitPattern: bits) % 2_000_000) / 1024)
            case 2: values.append(Double(bits >> 11) / Double(1 << 53) * 100)
            default:
                let scale = [1e-30, 1e-9, 1e-4, 1e-3, 1, 1e3, 1e15, 1e16, 1e17, 1e22, 1e300][Int(bits % 11)]
                values.append(Double((bits >> 20) % 1_000_000) * scale)
            }
        }
        var writer = ByteWriter(capacity: 16)
        for x in values {
            writer.removeAll()
            writer.number(x)
            var reference = JSONWriter(reservingCapacity: 32)
            reference.writeNumber(x)
            let expected = reference.bytes
            let written = writer.bytes
            #expect(written == expected, "\(x.bitPattern): \(String(decoding: written, as: UTF8.self))")
        }
        // Many numbers in one buffer, growing it.
        writer.removeAll()
        var reference = JSONWriter(reservingCapacity: 32)
        for x in values.prefix(5000) {
            writer.number(x)
            writer.byte(UInt8(ascii: ","))
            reference.writeNumber(x)
            reference.writeRaw(",")
        }
        #expect(writer.bytes == reference.bytes)
    }
}
