/// One day in seconds: the tests write ages, windows and half-lives in days.
public let day = 86_400.0

/// 2027-01-15T08:00:00Z: the as_of of the suites that need no particular date
/// (``SpecFixtures/asOf`` is the spec example's).
public let sampleAsOf = 1_800_000_000.0
