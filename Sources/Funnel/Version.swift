/// Funnel's version, `MAJOR.MINOR.PATCH`; the C ABI's `funnel_version`, and the
/// header's `FUNNEL_VERSION_*` macros agree with it.
public let funnelVersion = "0.1.0"
