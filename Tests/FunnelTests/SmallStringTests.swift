import Testing

@testable import Funnel

/// ``SmallString`` keys caches by a `String`'s two words: equal keys must
/// mean equal bytes, whatever made the strings, and a string whose words
/// point to storage must have no key. ``SmallStringCache`` must give back
/// what was kept, also for strings that share a slot.
@Suite struct SmallStringTests {
    @Test func keysAreTheBytes() {
        let texts = ["", "a", "page.visit", "email.open", "pricing.view", "xxxxxxxxxxxxxxx", "caf\u{E9}", "e\u{301}"]
        for a in texts {
            for b in texts {
                let (x, y) = (SmallString(a), SmallString(b))
                #expect(x != nil && y != nil, "\(a) \(b)")
                #expect((x == y) == Array(a.utf8).elementsEqual(b.utf8), "\(a) \(b)")
            }
        }
        // Made in other ways: the same key.
        var built = "page"
        built += ".visit"
        #expect(SmallString(built) == SmallString("page.visit"))
        #expect(SmallString(String(decoding: Array("page.visit".utf8), as: UTF8.self)) == SmallString("page.visit"))
        #expect(SmallString(String("xpage.visit".dropFirst())) == SmallString("page.visit"))
    }

    @Test func largeStringsHaveNoKey() {
        #expect(SmallString(String(repeating: "x", count: 16)) == nil)
        #expect(SmallString("newsletter.unsubscribe") == nil)
    }

    @Test func theCacheGivesBackWhatWasKept() {
        var cache = SmallStringCache()
        let names = (0..<200).map { "name\($0)" }
        #expect(cache.value(SmallString(names[0])!) == nil)
        var kept: [String: Int32] = [:]
        for (i, name) in names.enumerated() {
            cache.keep(SmallString(name)!, Int32(i))
            kept[name] = Int32(i)
            // The last kept is there; any value given back is the one kept for that name.
            #expect(cache.value(SmallString(name)!) == Int32(i))
            for other in names[..<i] {
                if let value = cache.value(SmallString(other)!) { #expect(value == kept[other]) }
            }
        }
    }
}
