extension RoutingDefinition {
    /// The routing document `funnel demo` uses with the default model
    /// (``Model/defaultModelJSON``): large companies to an enterprise team by
    /// load, Spanish- and Portuguese-speaking markets by rotation, the rest to
    /// an inside-sales team by weight; what nobody can take waits in `nurture`.
    public static let sampleJSON = #"""
    {
      "format": "funnel.routing/1",
      "capacity_window_days": 30,
      "teams": [
        {"id": "enterprise", "if": {"attr": "employees", "gte": 1000}, "strategy": "least_loaded",
         "members": [{"id": "ana", "capacity": 6}, {"id": "luis", "capacity": 10, "weight": 2}]},
        {"id": "iberia-latam", "if": {"attr": "country", "in": ["es", "mx", "br", "pt"]},
         "members": [{"id": "maria"}, {"id": "joao", "if": {"attr": "country", "in": ["br", "pt"]}}]},
        {"id": "inside", "strategy": "weighted",
         "members": [{"id": "eva", "weight": 3, "capacity": 12}, {"id": "tom", "capacity": 5},
                     {"id": "kim", "if": {"score": "total", "gte": 40}, "capacity": 5}]}
      ],
      "otherwise": "nurture"
    }
    """#

    /// The parsed ``sampleJSON``.
    public static var sample: RoutingDefinition {
        get throws(RoutingError) { try RoutingDefinition(json: sampleJSON) }
    }
}
