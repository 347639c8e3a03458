import Testing
@testable import Funnel

/// The error a parse of `bytes` throws, or nil when it succeeds.
private func parseError(_ bytes: [UInt8], maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONParseError? {
    do {
        _ = try JSONParser.parse(bytes, maxDepth: maxDepth)
        return nil
    } catch {
        return error
    }
}

private func parseError(_ text: String, maxDepth: Int = JSONParser.defaultMaxDepth) -> JSONParseError? {
    parseError(Array(text.utf8), maxDepth: maxDepth)
}

private func number(_ text: String) throws -> Double {
    let value = try JSONParser.parse(text)
    guard case .number(let x) = value else {
        Issue.record("\(text) parsed as \(value.kindDescription)")
        return .nan
    }
    return x
}

private func string(_ bytes: [UInt8]) throws -> String {
    let value = try JSONParser.parse(bytes)
    guard case .string(let s) = value else {
        Issue.record("parsed as \(value.kindDescription)")
        return ""
    }
    return s
}

private func string(_ text: String) throws -> String {
    try string(Array(text.utf8))
}

private func nested(_ depth: Int) -> String {
    String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
}

@Suite struct JSONParserTests {
    // MARK: Values

    @Test func literals() throws {
        #expect(try JSONParser.parse("null") == .null)
        #expect(try JSONParser.parse("true") == .bool(true))
        #expect(try JSONParser.parse("false") == .bool(false))
    }

    @Test func documentWithEveryKind() throws {
        let text = #"{"name":"Ada","age":36,"tags":["a",true,null,-1.5e2],"nested":{"x":[]},"empty":{}}"#
        let expected = JSONValue.object([
            JSONMember("name", .string("Ada")),
            JSONMember("age", .number(36)),
            JSONMember("tags", .array([.string("a"), .bool(true), .null, .number(-150)])),
            JSONMember("nested", .object([JSONMember("x", .array([]))])),
            JSONMember("empty", .object([])),
        ])
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test func objectKeepsDocumentOrder() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":2,"m":3}"#)
        guard case .object(let members) = value else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["z", "a", "m"])
        #expect(members.map(\.value) == [.number(1), .number(2), .number(3)])
    }

    @Test func subscriptFindsFirstMatchOnObjectsOnly() throws {
        let value = JSONValue.object([JSONMember("a", .number(1)), JSONMember("b", .number(2)),
                                      JSONMember("a", .number(3))])
        #expect(value["a"] == .number(1))
        #expect(value["b"] == .number(2))
        #expect(value["c"] == nil)
        #expect(JSONValue.array([.number(1)])["a"] == nil)
        #expect(JSONValue.string("a")["a"] == nil)
        // Byte-exact: a decomposed "é" is a different key.
        let accented = JSONValue.object([JSONMember("\u{E9}", .number(1))])
        #expect(accented["\u{E9}"] == .number(1))
        #expect(accented["e\u{301}"] == nil)
    }

    @Test func kindDescriptions() {
        #expect(JSONValue.null.kindDescription == "null")
        #expect(JSONValue.bool(false).kindDescription == "a boolean")
        #expect(JSONValue.number(1).kindDescription == "a number")
        #expect(JSONValue.string("").kindDescription == "a string")
        #expect(JSONValue.array([]).kindDescription == "an array")
        #expect(JSONValue.object([]).kindDescription == "an object")
    }

    @Test func allThreeEntryPointsAgree() throws {
        let text = #" [1, "two", {"three": 3}] "#
        let fromString = try JSONParser.parse(text)
        let fromArray = try JSONParser.parse(Array(text.utf8))
        let bytes = Array(text.utf8)
        let fromRaw = try bytes.withUnsafeBytes { buffer throws(JSONParseError) in
            try JSONParser.parse(buffer)
        }
        #expect(fromString == .array([.number(1), .string("two"), .object([JSONMember("three", .number(3))])]))
        #expect(fromArray == fromString)
        #expect(fromRaw == fromString)
        let empty = parseError([UInt8]())
        #expect(empty?.message == "unexpected end of input")
        let emptyRaw = UnsafeRawBufferPointer(start: nil, count: 0)
        #expect(throws: JSONParseError(message: "unexpected end of input", offset: 0, line: 1, column: 1)) {
            try JSONParser.parse(emptyRaw)
        }
    }

    // MARK: White space and trailing text

    @Test func onlyFourWhiteSpaceCharacters() throws {
        #expect(try JSONParser.parse(" \t\n\r[ 1 ,\t2 ]\r\n ") == .array([.number(1), .number(2)]))
        #expect(parseError("\u{0C}1") == JSONParseError(message: "expected a value", offset: 0, line: 1, column: 1))
        #expect(parseError("1\u{0B}") == JSONParseError(
            message: "trailing characters after the JSON value", offset: 1, line: 1, column: 2))
        // U+00A0 NO-BREAK SPACE is valid UTF-8 but not JSON white space.
        #expect(parseError("\u{A0}1") == JSONParseError(message: "expected a value", offset: 0, line: 1, column: 1))
    }

    @Test func trailingCharacters() {
        #expect(parseError("1 2") == JSONParseError(
            message: "trailing characters after the JSON value", offset: 2, line: 1, column: 3))
        #expect(parseError("{}x") == JSONParseError(
            message: "trailing characters after the JSON value", offset: 2, line: 1, column: 3))
        #expect(parseError("truex") == JSONParseError(
            message: "trailing characters after the JSON value", offset: 4, line: 1, column: 5))
        #expect(parseError("[1]]") == JSONParseError(
            message: "trailing characters after the JSON value", offset: 3, line: 1, column: 4))
    }

    @Test func byteOrderMarkIsSkippedOnlyAtTheStart() throws {
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.number(1)]))
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF, 0x20, 0x31]) == .number(1))
        #expect(parseError([0xEF, 0xBB, 0xBF]) == JSONParseError(
            message: "unexpected end of input", offset: 3, line: 1, column: 4))
        #expect(parseError([0x5B, 0xEF, 0xBB, 0xBF, 0x5D]) == JSONParseError(
            message: "expected a value", offset: 1, line: 1, column: 2))
        #expect(parseError([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x31]) == JSONParseError(
            message: "expected a value", offset: 3, line: 1, column: 4))
    }

    // MARK: Numbers

    @Test func integers() throws {
        #expect(try number("0") == 0)
        #expect(try number("7") == 7)
        #expect(try number("-7") == -7)
        #expect(try number("1234567890") == 1_234_567_890)
        #expect(try number("9007199254740993") == 9_007_199_254_740_992)  // ties to even
        #expect(try number("123456789012345678901234567890") == 1.2345678901234568e29)
        #expect(try number("-9223372036854775809") == -9.223372036854775808e18)
    }

    @Test func negativeZeroKeepsItsSign() throws {
        #expect(try number("-0").bitPattern == (-0.0).bitPattern)
        #expect(try number("-0.0").bitPattern == (-0.0).bitPattern)
        #expect(try number("-0e5").bitPattern == (-0.0).bitPattern)
        #expect(try number("0").bitPattern == (0.0).bitPattern)
        #expect(try number("0e999").bitPattern == (0.0).bitPattern)
    }

    @Test func fractionsAndExponents() throws {
        #expect(try number("1.5") == 1.5)
        #expect(try number("-0.25") == -0.25)
        #expect(try number("0.1") == 0.1)
        #expect(try number("3.141592653589793") == 3.141592653589793)
        #expect(try number("1e3") == 1000)
        #expect(try number("1E3") == 1000)
        #expect(try number("1e+2") == 100)
        #expect(try number("1e-2") == 0.01)
        #expect(try number("2.5E-3") == 0.0025)
        #expect(try number("1e22") == 1e22)
        #expect(try number("1e23") == 1e23)
        #expect(try number("0.000001") == 1e-6)
        #expect(try number("123.456e-7") == 1.23456e-5)
        #expect(try number("1.7976931348623157e308") == .greatestFiniteMagnitude)
        #expect(try number("2.2250738585072014e-308") == .leastNormalMagnitude)
        #expect(try number("4.9e-324") == .leastNonzeroMagnitude)
        #expect(try number("2.4703282292062328e-324") == .leastNonzeroMagnitude)
        #expect(try number("0.1000000000000000055511151231257827021181583404541015625") == 0.1)
    }

    @Test func underflowBecomesZero() throws {
        #expect(try number("1e-400") == 0)
        #expect(try number("-1e-400").bitPattern == (-0.0).bitPattern)
        #expect(try number("2.4703282292062327e-324") == 0)
    }

    @Test func overflowIsOutOfRange() {
        let expected = JSONParseError(message: "number out of range", offset: 0, line: 1, column: 1)
        #expect(parseError("1e999") == expected)
        #expect(parseError("-1e999") == expected)
        #expect(parseError("1.8e308") == expected)
        #expect(parseError("1" + String(repeating: "0", count: 400)) == expected)
        #expect(parseError("[0, 1e309]") == JSONParseError(
            message: "number out of range", offset: 4, line: 1, column: 5))
    }

    @Test func leadingZerosAreRejected() {
        #expect(parseError("01") == JSONParseError(
            message: "leading zeros are not allowed", offset: 1, line: 1, column: 2))
        #expect(parseError("-00") == JSONParseError(
            message: "leading zeros are not allowed", offset: 2, line: 1, column: 3))
        #expect(parseError("[00.5]") == JSONParseError(
            message: "leading zeros are not allowed", offset: 2, line: 1, column: 3))
    }

    @Test func malformedNumbers() {
        #expect(parseError("+1") == JSONParseError(message: "expected a value", offset: 0, line: 1, column: 1))
        #expect(parseError(".5") == JSONParseError(message: "expected a value", offset: 0, line: 1, column: 1))
        #expect(parseError("5.") == JSONParseError(message: "unexpected end of input", offset: 2, line: 1, column: 3))
        #expect(parseError("[5.]") == JSONParseError(
            message: "expected a digit after '.'", offset: 3, line: 1, column: 4))
        #expect(parseError("1.e3") == JSONParseError(
            message: "expected a digit after '.'", offset: 2, line: 1, column: 3))
        #expect(parseError("1e") == JSONParseError(message: "unexpected end of input", offset: 2, line: 1, column: 3))
        #expect(parseError("1e+") == JSONParseError(message: "unexpected end of input", offset: 3, line: 1, column: 4))
        #expect(parseError("1ex") == JSONParseError(
            message: "expected a digit in the exponent", offset: 2, line: 1, column: 3))
        #expect(parseError("-") == JSONParseError(message: "unexpected end of input", offset: 1, line: 1, column: 2))
        #expect(parseError("-x") == JSONParseError(message: "expected a digit", offset: 1, line: 1, column: 2))
        #expect(parseError("NaN") == JSONParseError(message: "expected a value", offset: 0, line: 1, column: 1))
        #expect(parseError("Infinity") == JSONParseError(message: "expected a value", offset: 0, line: 1, column: 1))
        #expect(parseError("-Infinity") == JSONParseError(message: "expected a digit", offset: 1, line: 1, column: 2))
        #expect(parseError("0x10") == JSONParseError(
            message: "trailing characters after the JSON value", offset: 1, line: 1, column: 2))
        #expect(parseError("1.5.2") == JSONParseError(
            message: "trailing characters after the JSON value", offset: 3, line: 1, column: 4))
    }

    @Test func fastPathAgreesWithStandardLibrary() throws {
        // Short decimals take the exact fast path; compare with the slow path's answer.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2000 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let mantissa = state % 10_000_000_000_000_000
            let exponent = Int((state >> 40) % 60) - 30
            let text = "\(mantissa)e\(exponent)"
            let expected = try #require(Double(text))
            #expect(try number(text) == expected, "\(text)")
        }
    }

    // MARK: Strings

    @Test func plainAndUnicodeStrings() throws {
        #expect(try string(#""""#) == "")
        #expect(try string(#""hello""#) == "hello")
        #expect(try string("\"é€😀\"") == "é€😀")
        #expect(try string("\"\u{7F}\"") == "\u{7F}")
    }

    @Test func simpleEscapes() throws {
        #expect(try string(#""\"\\\/\b\f\n\r\t""#) == "\"\\/\u{8}\u{C}\n\r\t")
        #expect(try string(#""a\nb""#) == "a\nb")
        #expect(try string(#""\u0041\u00e9\u20AC""#) == "Aé€")
    }

    @Test func surrogatePairDecodesToOneScalar() throws {
        let s = try string(#""\ud83d\ude00""#)
        #expect(s == "😀")
        #expect(s.unicodeScalars.map(\.value) == [0x1F600])
        #expect(try string(#""\uD83D\uDE00x""#).unicodeScalars.map(\.value) == [0x1F600, 0x78])
        #expect(try string(#""\udbff\udfff""#).unicodeScalars.map(\.value) == [0x10FFFF])
    }

    @Test func escapedNulIsAllowed() throws {
        let s = try string(#""a\u0000b""#)
        #expect(Array(s.utf8) == [0x61, 0x00, 0x62])
    }

    @Test func loneSurrogateEscapesAreRejected() {
        let atOne = JSONParseError(message: "invalid \\u escape", offset: 1, line: 1, column: 2)
        #expect(parseError(#""\ud800""#) == atOne)
        #expect(parseError(#""\udc00""#) == atOne)
        #expect(parseError(#""\ud800\u0041""#) == atOne)
        #expect(parseError(#""\ud800\ud800""#) == atOne)
        #expect(parseError(#""\ud800x""#) == atOne)
        #expect(parseError(#""ab\uDFFF""#) == JSONParseError(
            message: "invalid \\u escape", offset: 3, line: 1, column: 4))
    }

    @Test func malformedEscapes() {
        #expect(parseError(#""\u12G4""#) == JSONParseError(
            message: "invalid \\u escape", offset: 1, line: 1, column: 2))
        #expect(parseError(#""\u12""#) == JSONParseError(
            message: "invalid \\u escape", offset: 1, line: 1, column: 2))
        #expect(parseError(#""\x""#) == JSONParseError(
            message: "invalid escape sequence", offset: 2, line: 1, column: 3))
        #expect(parseError(#""\'""#) == JSONParseError(
            message: "invalid escape sequence", offset: 2, line: 1, column: 3))
        #expect(parseError(#""\u00"#) == JSONParseError(
            message: "unexpected end of input", offset: 5, line: 1, column: 6))
        #expect(parseError(#""\"#) == JSONParseError(
            message: "unexpected end of input", offset: 2, line: 1, column: 3))
        #expect(parseError(#""\ud800\"#) == JSONParseError(
            message: "unexpected end of input", offset: 8, line: 1, column: 9))
    }

    @Test func controlCharactersInStrings() {
        #expect(parseError("\"a\tb\"") == JSONParseError(
            message: "control character in string", offset: 2, line: 1, column: 3))
        #expect(parseError("\"a\nb\"") == JSONParseError(
            message: "control character in string", offset: 2, line: 1, column: 3))
        #expect(parseError("\"\\n\u{1F}\"") == JSONParseError(
            message: "control character in string", offset: 3, line: 1, column: 4))
        #expect(parseError([0x22, 0x00, 0x22]) == JSONParseError(
            message: "control character in string", offset: 1, line: 1, column: 2))
    }

    @Test func rawNulIsRejectedEverywhere() {
        #expect(parseError([0x00]) == JSONParseError(message: "expected a value", offset: 0, line: 1, column: 1))
        #expect(parseError([0x31, 0x00]) == JSONParseError(
            message: "trailing characters after the JSON value", offset: 1, line: 1, column: 2))
        #expect(parseError([0x5B, 0x00, 0x5D]) == JSONParseError(
            message: "expected a value", offset: 1, line: 1, column: 2))
        #expect(parseError([0x5B, 0x31, 0x00]) == JSONParseError(
            message: "expected ',' or ']'", offset: 2, line: 1, column: 3))
    }

    @Test func unterminatedString() {
        #expect(parseError(#""abc"#) == JSONParseError(
            message: "unexpected end of input", offset: 4, line: 1, column: 5))
        #expect(parseError(#"{"a"#) == JSONParseError(
            message: "unexpected end of input", offset: 3, line: 1, column: 4))
    }

    // MARK: UTF-8

    @Test func invalidUTF8InStrings() {
        let atOne = JSONParseError(message: "invalid UTF-8", offset: 1, line: 1, column: 2)
        #expect(parseError([0x22, 0xC0, 0x80, 0x22]) == atOne)  // overlong NUL
        #expect(parseError([0x22, 0xC1, 0xBF, 0x22]) == atOne)  // overlong
        #expect(parseError([0x22, 0xE0, 0x80, 0xAF, 0x22]) == atOne)  // overlong "/"
        #expect(parseError([0x22, 0xF0, 0x8F, 0xBF, 0xBF, 0x22]) == atOne)  // overlong
        #expect(parseError([0x22, 0xED, 0xA0, 0x80, 0x22]) == atOne)  // U+D800
        #expect(parseError([0x22, 0xED, 0xBF, 0xBF, 0x22]) == atOne)  // U+DFFF
        #expect(parseError([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]) == atOne)  // U+110000
        #expect(parseError([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22]) == atOne)
        #expect(parseError([0x22, 0xFF, 0x22]) == atOne)
        #expect(parseError([0x22, 0x80, 0x22]) == atOne)  // lone continuation
        #expect(parseError([0x22, 0xE2, 0x82, 0x22]) == atOne)  // truncated €
        #expect(parseError([0x22, 0xE2, 0x82]) == atOne)  // truncated at end of input
        #expect(parseError([0x22, 0xC3]) == atOne)
        #expect(parseError([0x22, 0x5C, 0x6E, 0xC3, 0x28, 0x22]) == JSONParseError(
            message: "invalid UTF-8", offset: 3, line: 1, column: 4))  // after an escape
    }

    @Test func invalidUTF8OutsideStrings() {
        #expect(parseError([0xC0, 0x80]) == JSONParseError(message: "invalid UTF-8", offset: 0, line: 1, column: 1))
        #expect(parseError([0xED, 0xA0, 0x80]) == JSONParseError(
            message: "invalid UTF-8", offset: 0, line: 1, column: 1))
        #expect(parseError([0x31, 0x20, 0xFF]) == JSONParseError(
            message: "invalid UTF-8", offset: 2, line: 1, column: 3))
        // Well-formed but not JSON is a grammar error.
        #expect(parseError("[é]") == JSONParseError(message: "expected a value", offset: 1, line: 1, column: 2))
    }

    @Test func validUTF8BoundariesAreAccepted() throws {
        let samples: [[UInt8]] = [
            [0xC2, 0x80], [0xDF, 0xBF],  // U+0080, U+07FF
            [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],
            [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF],  // U+10000, U+10FFFF
        ]
        let scalars: [UInt32] = [0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF]
        for (bytes, scalar) in zip(samples, scalars) {
            let s = try string([0x22] + bytes + [0x22])
            #expect(s.unicodeScalars.map(\.value) == [scalar])
        }
    }

    // MARK: Structure

    @Test func structuralErrors() {
        #expect(parseError("[1,]") == JSONParseError(message: "expected a value", offset: 3, line: 1, column: 4))
        #expect(parseError("[,1]") == JSONParseError(message: "expected a value", offset: 1, line: 1, column: 2))
        #expect(parseError("[1 2]") == JSONParseError(message: "expected ',' or ']'", offset: 3, line: 1, column: 4))
        #expect(parseError("[1}") == JSONParseError(message: "expected ',' or ']'", offset: 2, line: 1, column: 3))
        #expect(parseError(#"{"a" 1}"#) == JSONParseError(message: "expected ':'", offset: 5, line: 1, column: 6))
        #expect(parseError(#"{"a":1 "b":2}"#) == JSONParseError(
            message: "expected ',' or '}'", offset: 7, line: 1, column: 8))
        #expect(parseError(#"{"a":1]"#) == JSONParseError(
            message: "expected ',' or '}'", offset: 6, line: 1, column: 7))
        #expect(parseError("{1:2}") == JSONParseError(
            message: "expected a string key or '}'", offset: 1, line: 1, column: 2))
        #expect(parseError(#"{"a":1,}"#) == JSONParseError(
            message: "expected a string key", offset: 7, line: 1, column: 8))
        #expect(parseError(#"{"a":}"#) == JSONParseError(message: "expected a value", offset: 5, line: 1, column: 6))
        #expect(parseError("]") == JSONParseError(message: "expected a value", offset: 0, line: 1, column: 1))
    }

    @Test func truncatedInput() {
        let cases: [(String, Int)] = [
            ("", 0), ("   ", 3), ("[", 1), ("[1", 2), ("[1,", 3), ("[1,2", 4), ("{", 1), (#"{"a""#, 4),
            (#"{"a":"#, 5), (#"{"a":1"#, 6), (#"{"a":1,"#, 7), ("tru", 3), ("nul", 3), ("f", 1),
        ]
        for (text, offset) in cases {
            #expect(parseError(text) == JSONParseError(
                message: "unexpected end of input", offset: offset, line: 1, column: offset + 1), "\(text)")
        }
    }

    @Test func invalidLiterals() {
        #expect(parseError("trux") == JSONParseError(message: "invalid literal", offset: 3, line: 1, column: 4))
        #expect(parseError("nulL") == JSONParseError(message: "invalid literal", offset: 3, line: 1, column: 4))
        #expect(parseError("[fals]") == JSONParseError(message: "invalid literal", offset: 5, line: 1, column: 6))
        #expect(parseError("True") == JSONParseError(message: "expected a value", offset: 0, line: 1, column: 1))
    }

    @Test func errorPositionsCountLinesAndByteColumns() throws {
        let error = try #require(parseError("[\n  1,\n  x]"))
        #expect(error == JSONParseError(message: "expected a value", offset: 9, line: 3, column: 3))
        #expect(error.description == "line 3, column 3: expected a value")
        // Columns count bytes: "é" is two.
        #expect(parseError("[\"é\" x]") == JSONParseError(
            message: "expected ',' or ']'", offset: 6, line: 1, column: 7))
        // CRLF counts as one line break.
        #expect(parseError("[\r\n1\r\n,]") == JSONParseError(
            message: "expected a value", offset: 7, line: 3, column: 2))
        #expect(parseError("[1,2")?.description == "line 1, column 5: unexpected end of input")
    }

    // MARK: Duplicate keys

    @Test func duplicateKeysAreRejected() {
        #expect(parseError(#"{"a":1,"a":2}"#) == JSONParseError(
            message: "duplicate key \"a\"", offset: 7, line: 1, column: 8))
        #expect(parseError(#"{"name":1, "x":2, "name":3}"#) == JSONParseError(
            message: "duplicate key \"name\"", offset: 18, line: 1, column: 19))
        // Escapes are decoded before comparing.
        #expect(parseError(#"{"a":1,"\u0061":2}"#) == JSONParseError(
            message: "duplicate key \"a\"", offset: 7, line: 1, column: 8))
        // The message escapes the key so it stays readable.
        #expect(parseError(#"{"q\"\n":1,"q\"\n":2}"#)?.message == #"duplicate key "q\"\n""#)
    }

    @Test func duplicateKeysInLargeObjects() throws {
        let keys = (0..<40).map { "\"k\($0)\":\($0)" }
        let object = try JSONParser.parse("{" + keys.joined(separator: ",") + "}")
        guard case .object(let members) = object else {
            Issue.record("not an object")
            return
        }
        #expect(members.count == 40)
        #expect(object["k39"] == .number(39))

        for duplicate in [0, 3, 15, 16, 30, 39] {
            let text = "{" + keys.joined(separator: ",") + ",\"k\(duplicate)\":0}"
            let offset = text.utf8.count - "\"k\(duplicate)\":0}".utf8.count
            #expect(parseError(text) == JSONParseError(
                message: "duplicate key \"k\(duplicate)\"", offset: offset, line: 1, column: offset + 1))
        }
        // A duplicate detected after the switch to a set, among the first 16 keys.
        let late = "{" + keys.prefix(20).joined(separator: ",") + ",\"k2\":0," + keys.suffix(5).joined(separator: ",") + "}"
        #expect(parseError(late)?.message == "duplicate key \"k2\"")
    }

    @Test func keysCompareByExactBytes() throws {
        // NFC "é" and NFD "e\u0301" are equal as Swift Strings but distinct JSON keys.
        let small = try JSONParser.parse(#"{"\u00e9":1,"e\u0301":2}"#)
        guard case .object(let members) = small else {
            Issue.record("not an object")
            return
        }
        #expect(members.count == 2)
        let many = (0..<20).map { "\"k\($0)\":0" }.joined(separator: ",")
        let large = try JSONParser.parse("{" + many + #","\u00e9":1,"e\u0301":2}"#)
        #expect(large["e\u{301}"] == .number(2))
        #expect(large["\u{E9}"] == .number(1))
    }

    @Test func sameKeyInDifferentObjectsIsFine() throws {
        let value = try JSONParser.parse(#"{"a":{"a":1},"b":{"a":2},"c":[{"a":3},{"a":4}]}"#)
        #expect(value["b"]?["a"] == .number(2))
        #expect(value["a"]?["a"] == .number(1))
    }

    // MARK: Depth

    @Test func nestingExactlyAtTheLimitParses() throws {
        var value = try JSONParser.parse(nested(512))
        var depth = 0
        while case .array(let elements) = value {
            depth += 1
            guard let first = elements.first else { break }
            value = first
        }
        #expect(depth == 512)
        let objects = String(repeating: #"{"a":"#, count: 511) + "{}" + String(repeating: "}", count: 511)
        #expect(try JSONParser.parse(objects) != .null)
    }

    @Test func nestingBeyondTheLimitFails() {
        #expect(parseError(nested(513)) == JSONParseError(
            message: "nesting deeper than 512 levels", offset: 512, line: 1, column: 513))
        let objects = String(repeating: #"{"a":"#, count: 513) + "1" + String(repeating: "}", count: 513)
        #expect(parseError(objects) == JSONParseError(
            message: "nesting deeper than 512 levels", offset: 5 * 512, line: 1, column: 5 * 512 + 1))
    }

    @Test func hugeNestingFailsWithoutOverflowingTheStack() {
        let opening = [UInt8](repeating: 0x5B, count: 100_000)
        #expect(parseError(opening) == JSONParseError(
            message: "nesting deeper than 512 levels", offset: 512, line: 1, column: 513))
        let objects = Array(String(repeating: #"{"a":"#, count: 100_000).utf8)
        #expect(parseError(objects)?.message == "nesting deeper than 512 levels")
    }

    @Test func customMaxDepth() throws {
        #expect(try JSONParser.parse("[[1]]", maxDepth: 2) == .array([.array([.number(1)])]))
        #expect(parseError("[[1]]", maxDepth: 1) == JSONParseError(
            message: "nesting deeper than 1 levels", offset: 1, line: 1, column: 2))
        #expect(parseError("[]", maxDepth: 0) == JSONParseError(
            message: "nesting deeper than 0 levels", offset: 0, line: 1, column: 1))
        #expect(try JSONParser.parse("\"scalar\"", maxDepth: 0) == .string("scalar"))
        #expect(parseError(#"{"a":{}}"#, maxDepth: 1)?.message == "nesting deeper than 1 levels")
        #expect(try JSONParser.parse(nested(2000), maxDepth: 2000) != .null)
    }
}
