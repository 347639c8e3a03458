extension Model {
    /// The model `funnel demo` runs: the funnel of SPEC §1 for a B2B company.
    ///
    /// Names → Profiled (ideal-customer profile) → MQL (total ≥ 30) → SAL
    /// (total ≥ 40) → SQL (BANT, also its guard) → Opportunity → Won/Lost, with
    /// Nurture (negative behaviour) and Disqualified beside them. Engagement
    /// levels 1 (behaviour ≥ 10), 2 (≥ 3) and 3 (the rest) make a priority
    /// such as `A1` of every graded lead (SPEC §13). The document the C ABI's
    /// `funnel_model_load_default` loads.
    public static let defaultModelJSON = #"""
    {
      "format": "funnel.model/1",
      "name": "b2b-default",
      "attributes": {
        "industry": "string", "employees": "number", "role": "string",
        "budget": "number", "decision_maker": "bool", "timeline_days": "number",
        "need": "string", "country": "string", "source": "string",
        "email": "string", "tags": "strings"
      },
      "criteria": {
        "icp": {"all": [{"attr": "industry", "in": ["software", "fintech", "healthcare", "manufacturing"]},
                        {"attr": "employees", "between": [50, 5000]}]},
        "bant": {"all": [{"attr": "budget", "gte": 10000}, {"attr": "decision_maker", "eq": true},
                         {"attr": "need", "exists": true}, {"attr": "timeline_days", "lte": 90}]}
      },
      "scoring": {
        "fit": [
          {"id": "target-industry", "if": {"attr": "industry", "in": ["software", "fintech"]}, "points": 15},
          {"id": "adjacent-industry", "if": {"attr": "industry", "in": ["healthcare", "manufacturing"]}, "points": 8},
          {"id": "mid-market", "if": {"attr": "employees", "between": [50, 5000]}, "points": 10},
          {"id": "enterprise", "if": {"attr": "employees", "gt": 5000}, "points": 5},
          {"id": "decision-role", "if": {"attr": "role", "in": ["ceo", "cto", "cfo", "founder", "vp sales", "vp marketing"]}, "points": 10},
          {"id": "manager-role", "if": {"attr": "role", "contains": "manager"}, "points": 5}
        ],
        "behavior": [
          {"id": "newsletter", "event": "newsletter.subscribe", "points": 1},
          {"id": "reply", "event": "email.reply", "points": 2, "cap": 10},
          {"id": "long-call", "event": "call.completed", "if": {"prop": "minutes", "gte": 20}, "points": 5},
          {"id": "unsubscribe", "event": "newsletter.unsubscribe", "points": -3},
          {"id": "no-show", "event": "meeting.no_show", "points": -10}
        ],
        "half_life_days": 30,
        "window_days": 365,
        "behavior_limits": {"min": -50, "max": 100},
        "grades": [{"grade": "A", "min": 35}, {"grade": "B", "min": 25}, {"grade": "C", "min": 15},
                   {"grade": "D", "min": 5}, {"grade": "F", "min": 0}],
        "engagement": [{"level": "1", "min": 10}, {"level": "2", "min": 3}, {"level": "3", "min": -1e9}]
      },
      "disqualify": [
        {"id": "competitor", "if": {"attr": "tags", "contains": "competitor"}},
        {"id": "bad_data", "if": {"attr": "email", "exists": false}}
      ],
      "stages": {
        "initial": "names",
        "list": [
          {"id": "names", "label": "Names"},
          {"id": "profiled", "label": "Profiled", "enter_when": {"criterion": "icp"}},
          {"id": "mql", "label": "MQL", "enter_when": {"score": "total", "gte": 30}},
          {"id": "sal", "label": "SAL", "enter_when": {"score": "total", "gte": 40}},
          {"id": "sql", "label": "SQL", "requires": {"criterion": "bant"}, "enter_when": {"criterion": "bant"}},
          {"id": "opportunity", "label": "Opportunity"},
          {"id": "won", "label": "Won", "outcome": "won"},
          {"id": "lost", "label": "Lost", "outcome": "lost"},
          {"id": "nurture", "label": "Nurture", "enter_when": {"score": "behavior", "lt": 0}},
          {"id": "disqualified", "label": "Disqualified", "outcome": "disqualified"}
        ],
        "transitions": [
          {"from": "names", "to": "profiled"},
          {"from": "profiled", "to": "mql"},
          {"from": "mql", "to": ["sal", "nurture"]},
          {"from": "sal", "to": ["sql", "nurture"]},
          {"from": "sql", "to": "opportunity"},
          {"from": "opportunity", "to": ["won", "lost"], "reasons": ["price", "competitor", "no_decision", "timing"]},
          {"from": "nurture", "to": "mql"},
          {"from": "*", "to": "disqualified", "reasons": ["no_budget", "no_authority", "competitor", "bad_data"]}
        ]
      }
    }
    """#

    /// The compiled ``defaultModelJSON``, compiled once on first use and
    /// shared (a model is immutable). The C ABI's `funnel_model_load_default`.
    ///
    /// It throws only if the embedded document were broken, which the tests rule out.
    public static var `default`: Model {
        get throws(ModelError) { try compiledDefault.get() }
    }

    private static let compiledDefault = Result { () throws(ModelError) in try Model(json: defaultModelJSON) }
}
