extension FunnelReport {
    /// The funnel as a picture: an SVG 1.1 document with a bar per path stage.
    ///
    /// Each bar is centred, its length proportional to `reached` (the first path
    /// stage's bar, or the longest, spans the full width); on its left stands the
    /// stage's label (or id), on its right the count, the rate from the previous
    /// stage and the benchmark where the model gives one. A benchmark is also drawn
    /// on the bar as a dashed outline of the length it expected (the previous
    /// stage's count times the benchmark). Text is escaped; no script, no external
    /// resources, so any browser or XML tool reads it without a legend.
    ///
    /// - Parameter title: the heading; the default names the period.
    public func svg(title: String? = nil) -> String {
        let rowHeight = 40.0
        let gap = 14.0
        let top = 64.0
        let labelWidth = 170.0
        let barLeft = labelWidth + 20
        let barSpan = 420.0
        let textLeft = barLeft + barSpan + 20
        let width = textLeft + 360
        let height = top + Double(funnel.count) * (rowHeight + gap) + 24
        let largest = max(1, funnel.map(\.reached).max() ?? 0)
        let center = barLeft + barSpan / 2

        var s = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="\(Self.svgNumber(width))" \
            height="\(Self.svgNumber(height))" viewBox="0 0 \(Self.svgNumber(width)) \(Self.svgNumber(height))" \
            font-family="Helvetica, Arial, sans-serif" font-size="14">

            """
        let heading = title ?? "Funnel: \(leads) lead\(leads == 1 ? "" : "s") captured, \(periodText)"
        s += "<title>\(Self.escaped(heading))</title>\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(Self.svgNumber(width))\" height=\"\(Self.svgNumber(height))\" fill=\"#ffffff\"/>\n"
        s += "<text x=\"20\" y=\"32\" font-size=\"18\" font-weight=\"bold\" fill=\"#1f2937\">\(Self.escaped(heading))</text>\n"
        if funnel.isEmpty {
            s += "<text x=\"20\" y=\"\(Self.svgNumber(top + 10))\" fill=\"#6b7280\">The model has no funnel path.</text>\n"
        }
        for (p, row) in funnel.enumerated() {
            let y = top + Double(p) * (rowHeight + gap)
            let middle = y + rowHeight / 2 + 5
            let length = barSpan * Double(row.reached) / Double(largest)
            let name = row.label ?? row.stage
            s += "<g class=\"stage\" data-stage=\"\(Self.escaped(row.stage))\">\n"
            s += "<text x=\"\(Self.svgNumber(labelWidth))\" y=\"\(Self.svgNumber(middle))\" text-anchor=\"end\" "
                + "font-weight=\"bold\" fill=\"#1f2937\">\(Self.escaped(name))</text>\n"
            s += "<rect class=\"bar\" x=\"\(Self.svgNumber(center - length / 2))\" y=\"\(Self.svgNumber(y))\" "
                + "width=\"\(Self.svgNumber(length))\" height=\"\(Self.svgNumber(rowHeight))\" rx=\"3\" "
                + "fill=\"\(p == funnel.count - 1 ? "#15803d" : "#2563eb")\"/>\n"
            var detail = "\(row.reached) lead\(row.reached == 1 ? "" : "s")"
            if let rate = row.rate { detail += " · \(Self.percent(rate)) of previous" }
            if p > 0, row.rate == nil { detail += " · no rate" }
            if let benchmark = row.benchmark {
                detail += " · benchmark \(Self.percent(benchmark))"
                let previous = funnel[p - 1].reached
                let expected = barSpan * Double(previous) * benchmark / Double(largest)
                s += "<rect class=\"benchmark\" x=\"\(Self.svgNumber(center - expected / 2))\" "
                    + "y=\"\(Self.svgNumber(y - 3))\" width=\"\(Self.svgNumber(expected))\" "
                    + "height=\"\(Self.svgNumber(rowHeight + 6))\" fill=\"none\" stroke=\"#dc2626\" "
                    + "stroke-width=\"2\" stroke-dasharray=\"6 4\"/>\n"
            }
            s += "<text x=\"\(Self.svgNumber(textLeft))\" y=\"\(Self.svgNumber(middle))\" fill=\"#1f2937\">"
                + "\(Self.escaped(detail))</text>\n"
            s += "</g>\n"
        }
        if funnel.contains(where: { $0.benchmark != nil }) {
            s += "<text x=\"\(Self.svgNumber(barLeft))\" y=\"\(Self.svgNumber(height - 8))\" font-size=\"12\" "
                + "fill=\"#dc2626\">dashed outline: the count the benchmark expects</text>\n"
        }
        s += "</svg>\n"
        return s
    }

    /// `2026-10-01T00:00:00Z to 2026-11-01T00:00:00Z`, or `all time`.
    private var periodText: String {
        func text(_ t: Double?) -> String? { t.flatMap { Timestamp.formatRFC3339($0) ?? "\($0)" } }
        switch (text(from), text(to)) {
        case (let a?, let b?): return "\(a) to \(b)"
        case (let a?, nil): return "from \(a)"
        case (nil, let b?): return "until \(b)"
        case (nil, nil): return "all time"
        }
    }

    /// `62.5 %` (one decimal, half away from zero; `.0` dropped).
    static func percent(_ fraction: Double) -> String {
        guard let tenths = roundedInteger(fraction * 1000) else { return "-" }
        let whole = tenths / 10
        let tenth = abs(tenths % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return tenth == 0 ? "\(sign)\(whole) %" : "\(sign)\(whole).\(tenth) %"
    }

    /// A coordinate with at most two decimals.
    static func svgNumber(_ x: Double) -> String {
        guard let hundredths = roundedInteger(x * 100) else { return "0" }
        var w = JSONWriter(reservingCapacity: 16)
        w.writeNumber(Double(hundredths) / 100)
        return w.string
    }

    /// `x` rounded half away from zero, by conversion (no libm `round`, which the
    /// Foundation-free library does not link); `nil` when out of range.
    private static func roundedInteger(_ x: Double) -> Int64? {
        guard x.isFinite, x.magnitude < 1e15 else { return nil }
        return Int64(x < 0 ? x - 0.5 : x + 0.5)
    }

    /// Text safe inside XML elements and attribute values.
    static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\u{9}", "\u{A}", "\u{D}": out.unicodeScalars.append(scalar)
            // XML 1.0 forbids other control characters even escaped.
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += "\u{FFFD}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
