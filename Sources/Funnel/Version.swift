/// Funnel's version, `MAJOR.MINOR.PATCH`; the C header's macros agree with it.
public let funnelVersion = "0.1.0"
