/// Writes a number the way JSON output does: `15`, not `15.0`.
package func formatNumber(_ x: Double) -> String {
    var w = JSONWriter(reservingCapacity: 24)
    w.writeNumber(x)
    return w.string
}
